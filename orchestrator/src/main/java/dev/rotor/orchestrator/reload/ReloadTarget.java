package dev.rotor.orchestrator.reload;

import dev.rotor.contracts.messages.Direction;
import java.util.UUID;

/**
 * What a reload is for: references and a version number, all a hook, a command or a health check ever learns.
 *
 * @param version the key version the consumers must end up using: the new one forward, the restored one when undoing
 *     (null when the rotation has none, e.g. a first rotation with nothing before it)
 */
public record ReloadTarget(UUID rotationId, String secretId, Integer version, Direction direction, int attempt) {
    /** Names the attempt, for de-duplication of a repeated run (the rollout marker). */
    public String marker() {
        return rotationId + "/" + direction + "/" + attempt;
    }
}

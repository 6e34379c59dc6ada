package dev.rotor.notifier.event;

import java.util.UUID;

/**
 * Where a reader of a message finds the rotation: the orchestrator's API, from {@code rotor.notifier.links}.
 *
 * @param orchestratorUrl the base URL, without a trailing slash
 */
public record Links(String orchestratorUrl) {
    public Links {
        orchestratorUrl = orchestratorUrl.endsWith("/") ? orchestratorUrl.substring(0, orchestratorUrl.length() - 1)
                : orchestratorUrl;
    }

    public String rotation(UUID id) {
        return orchestratorUrl + "/api/rotations/" + id;
    }

    public String report(UUID id) {
        return rotation(id) + "/report";
    }
}

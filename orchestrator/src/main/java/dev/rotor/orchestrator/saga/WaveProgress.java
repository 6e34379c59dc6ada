package dev.rotor.orchestrator.saga;

import dev.rotor.contracts.messages.Step;
import java.util.EnumMap;
import java.util.Map;

/**
 * Where a rolling cohort rollout (catalog {@code rollout}) stands: one immutable value, stored as a whole with the
 * rotation. Each wave runs UPDATE_SECRET, RELOAD_CONSUMERS and WAVE_GATE again; their attempt numbers go on counting
 * across waves, so every command and reply stays unique on (rotation, step, attempt, direction), and each wave gets
 * its plan's attempts anew: {@code attemptsBefore} holds, per step, the attempts the earlier waves used.
 *
 * @param wave the current wave, 1 to the number of waves
 */
public record WaveProgress(int wave, Map<Step, Integer> attemptsBefore) {
    /** A rollout that has not gone past its first wave. */
    public static final WaveProgress FIRST = new WaveProgress(1, Map.of());

    public WaveProgress {
        attemptsBefore = attemptsBefore == null ? Map.of() : Map.copyOf(attemptsBefore);
    }

    /** The attempts of {@code step} that belong to the earlier waves. */
    public int before(Step step) {
        return attemptsBefore.getOrDefault(step, 0);
    }

    WaveProgress next() {
        return new WaveProgress(wave + 1, attemptsBefore);
    }

    WaveProgress starting(Step step, int attemptsSoFar) {
        Map<Step, Integer> before = new EnumMap<>(Step.class);
        before.putAll(attemptsBefore);
        before.put(step, attemptsSoFar);
        return new WaveProgress(wave, before);
    }
}

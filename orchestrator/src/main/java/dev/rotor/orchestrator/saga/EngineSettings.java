package dev.rotor.orchestrator.saga;

import java.time.Duration;

/**
 * Defaults for plan steps that set no timeout or attempts of their own.
 *
 * @param longStepTimeout the timeout of a long-running {@link PlanStep} (see {@link PlanStep#reportingProgress()}) (re-encryption)
 */
public record EngineSettings(Duration stepTimeout, int maxAttempts, Duration backoff, Duration longStepTimeout) {
    public EngineSettings(Duration stepTimeout, int maxAttempts, Duration backoff) {
        this(stepTimeout, maxAttempts, backoff, Duration.ofHours(2));
    }
}

package dev.rotor.orchestrator.saga;

import java.time.Duration;

/** Defaults for plan steps that set no timeout or attempts of their own. */
public record EngineSettings(Duration stepTimeout, int maxAttempts, Duration backoff) {
}

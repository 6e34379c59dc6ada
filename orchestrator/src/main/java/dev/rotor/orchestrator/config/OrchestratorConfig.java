package dev.rotor.orchestrator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Typed settings of the orchestrator (prefix {@code rotor.orchestrator}). */
@ConfigMapping(prefix = "rotor.orchestrator")
public interface OrchestratorConfig {

    /** Path of the catalog YAML; application.properties fills it from {@code ROTOR_CATALOG}. */
    Optional<String> catalog();

    /** How often the outbox relay looks for rows a crash left unpublished (it also runs right after each commit). The
     * Quarkus scheduler ticks once a second, so shorter values act as 1s. */
    @WithDefault("1s")
    Duration relayPollInterval();

    /** How often due timers (start, retries, step timeouts, retirements) are looked for. */
    @WithDefault("1s")
    Duration timerPollInterval();

    /** How long a step may run before it counts as a failed (retryable) attempt, unless its plan step says otherwise. */
    @WithDefault("60s")
    Duration stepTimeout();

    /** Attempts per step and direction, unless its plan step says otherwise. */
    @WithDefault("3")
    int maxAttempts();

    /** Delay before the second attempt; it doubles for each later attempt. */
    @WithDefault("2s")
    Duration backoff();

    /** The value of the {@code ce_source} header on everything the orchestrator publishes. */
    @WithDefault("/rotor/orchestrator")
    String source();
}

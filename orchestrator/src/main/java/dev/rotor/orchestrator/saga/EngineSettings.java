package dev.rotor.orchestrator.saga;

import java.time.Duration;

/**
 * The configured retry settings, each null when not configured. A configured value replaces the plan's value for
 * every step; an unset one leaves each step to its plan, then to {@link #BUILT_IN} (precedence: {@link PlanStep}).
 *
 * @param stepTimeout the timeout of every step that is not long-running
 * @param maxAttempts attempts per step and direction
 * @param backoff the wait after a step's first failed attempt
 * @param longStepTimeout the timeout of every long-running {@link PlanStep} (see {@link PlanStep#reportingProgress()})
 * @param maxBackoff the cap of every step's doubling wait
 */
public record EngineSettings(Duration stepTimeout, Integer maxAttempts, Duration backoff, Duration longStepTimeout,
        Duration maxBackoff) {
    /** What applies where neither configuration nor plan sets a value. */
    public static final RetryPolicy BUILT_IN = new RetryPolicy(Duration.ofSeconds(60), 3, Duration.ofSeconds(2),
            Duration.ofMinutes(5));
    /** The built-in timeout of a long-running step: re-encryption; progress reports restart it. */
    public static final Duration BUILT_IN_LONG_TIMEOUT = Duration.ofHours(2);
    /** Nothing configured: every step runs by its plan. */
    public static final EngineSettings NONE = new EngineSettings(null, null, null, null, null);

    public EngineSettings {
        RetryPolicy.positive("stepTimeout", stepTimeout);
        RetryPolicy.atLeastOne("maxAttempts", maxAttempts);
        RetryPolicy.positive("backoff", backoff);
        RetryPolicy.positive("longStepTimeout", longStepTimeout);
        RetryPolicy.positive("maxBackoff", maxBackoff);
    }

    public EngineSettings(Duration stepTimeout, int maxAttempts, Duration backoff) {
        this(stepTimeout, maxAttempts, backoff, null, null);
    }

    public EngineSettings(Duration stepTimeout, int maxAttempts, Duration backoff, Duration longStepTimeout) {
        this(stepTimeout, (Integer) maxAttempts, backoff, longStepTimeout, null);
    }

    /** The policy a step runs by, every value set: configured first, then the plan step's, then built in. */
    public RetryPolicy policyFor(PlanStep step) {
        RetryPolicy configured = new RetryPolicy(step.longRunning() ? longStepTimeout : stepTimeout, maxAttempts,
                backoff, maxBackoff);
        RetryPolicy builtIn = step.longRunning() ? BUILT_IN.withTimeout(BUILT_IN_LONG_TIMEOUT) : BUILT_IN;
        return configured.orElse(step.retry()).orElse(builtIn);
    }
}

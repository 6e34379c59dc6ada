package dev.rotor.orchestrator.saga;

import java.time.Duration;

/**
 * How one step is retried. Every value may be null, meaning "not set here"; {@link #orElse} fills the gaps from a
 * policy of lower precedence (see {@link EngineSettings#policyFor(PlanStep)}).
 *
 * @param timeout how long an attempt may take before it counts as a failed, retryable attempt
 * @param maxAttempts attempts per direction: forward, and again when compensating
 * @param backoff the wait after the first failed attempt; it doubles after each further failure
 * @param backoffCap the longest the doubled wait may grow; a cap below {@code backoff} makes every wait the cap
 */
public record RetryPolicy(Duration timeout, Integer maxAttempts, Duration backoff, Duration backoffCap) {
    /** Sets nothing: every value comes from elsewhere. */
    public static final RetryPolicy UNSET = new RetryPolicy(null, null, null, null);

    public RetryPolicy {
        positive("timeout", timeout);
        atLeastOne("maxAttempts", maxAttempts);
        positive("backoff", backoff);
        positive("backoffCap", backoffCap);
    }

    public RetryPolicy withTimeout(Duration timeout) {
        return new RetryPolicy(required("timeout", timeout), maxAttempts, backoff, backoffCap);
    }

    public RetryPolicy withMaxAttempts(int maxAttempts) {
        return new RetryPolicy(timeout, maxAttempts, backoff, backoffCap);
    }

    public RetryPolicy withBackoff(Duration backoff) {
        return new RetryPolicy(timeout, maxAttempts, required("backoff", backoff), backoffCap);
    }

    public RetryPolicy withBackoffCap(Duration backoffCap) {
        return new RetryPolicy(timeout, maxAttempts, backoff, required("backoffCap", backoffCap));
    }

    /** This policy's values, and {@code fallback}'s where this one sets none. */
    public RetryPolicy orElse(RetryPolicy fallback) {
        return new RetryPolicy(timeout != null ? timeout : fallback.timeout,
                maxAttempts != null ? maxAttempts : fallback.maxAttempts,
                backoff != null ? backoff : fallback.backoff,
                backoffCap != null ? backoffCap : fallback.backoffCap);
    }

    /**
     * The wait before the next attempt, after failed attempt {@code failedAttempt} (1 for the first): the exponential
     * delay {@code d = min(backoffCap, backoff * 2^(failedAttempt - 1))}, then "equal jitter": {@code d/2} fixed plus
     * {@code jitter * d/2}. The random half spreads retries that failed together (a store outage fails every running
     * rotation at once); the fixed half keeps a floor, so a retry never fires at once against a service that just
     * failed, as full jitter ({@code jitter * d}) could. Needs {@code backoff} and {@code backoffCap} set.
     *
     * @param jitter within [0, 1]: 0 gives {@code d/2}, 1 gives {@code d}
     */
    public Duration delayAfter(int failedAttempt, double jitter) {
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("jitter must be within [0, 1], was " + jitter);
        }
        Duration d = backoff;
        for (int n = 1; n < failedAttempt && d.compareTo(backoffCap) < 0; n++) {
            d = d.multipliedBy(2);
        }
        if (d.compareTo(backoffCap) > 0) {
            d = backoffCap;
        }
        Duration fixed = d.dividedBy(2);
        return fixed.plusNanos(Math.round(d.minus(fixed).toNanos() * jitter));
    }

    static Duration positive(String name, Duration value) {
        if (value != null && (value.isZero() || value.isNegative())) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
        return value;
    }

    static Integer atLeastOne(String name, Integer value) {
        if (value != null && value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, was " + value);
        }
        return value;
    }

    private static Duration required(String name, Duration value) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must be given; leave it out to use the default");
        }
        return value;
    }
}

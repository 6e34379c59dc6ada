package dev.rotor.notifier.delivery;

import java.time.Duration;

/**
 * Which delivery failures are worth another attempt, and how long to wait: exponential backoff, doubling from
 * {@code initial} and capped at {@code max}.
 */
public record RetryPolicy(int attempts, Duration initial, Duration max) {

    public enum Verdict {
        DELIVERED, RETRY, GIVE_UP
    }

    /** 2xx delivered; 429 and 5xx are the receiver's temporary trouble; any other status will not change. */
    public static Verdict classify(int status) {
        if (status >= 200 && status < 300) {
            return Verdict.DELIVERED;
        }
        return status == 429 || status >= 500 ? Verdict.RETRY : Verdict.GIVE_UP;
    }

    public boolean mayRetryAfter(int attempt) {
        return attempt < attempts;
    }

    /** The wait after failed attempt number {@code attempt} (1-based). */
    public Duration delayAfter(int attempt) {
        long factor = 1L << Math.min(attempt - 1, 20);
        Duration delay = initial.multipliedBy(factor);
        return delay.compareTo(max) > 0 ? max : delay;
    }
}

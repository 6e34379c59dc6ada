package dev.rotor.reencrypt.engine;

/**
 * A job that did not complete. The message names tables, row ids and key versions, never values or keys.
 * {@link #retryable()} separates transient causes (the database went away, a lock timed out) from refusals a retry
 * cannot fix (wrong key, undecryptable rows, a missing table).
 */
public class ReencryptException extends RuntimeException {
    private final boolean retryable;

    public ReencryptException(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    public ReencryptException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}

package dev.rotor.sync.target;

/** A target could not be read or written. The message names the file and variable, never a value. */
public class TargetException extends RuntimeException {
    private final boolean retryable;

    public TargetException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}

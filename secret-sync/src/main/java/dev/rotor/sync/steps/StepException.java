package dev.rotor.sync.steps;

/** A step cannot be done as asked; answered as {@code StepFailed} with this message (never material). */
public class StepException extends RuntimeException {
    private final boolean retryable;

    public StepException(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}

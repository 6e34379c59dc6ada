package dev.rotor.sync.store;

/** The store cannot do what was asked. The message names the path or file, never material. */
public class StoreException extends RuntimeException {
    private final boolean retryable;

    public StoreException(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    public StoreException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}

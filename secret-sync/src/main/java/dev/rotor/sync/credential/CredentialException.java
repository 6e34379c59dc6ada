package dev.rotor.sync.credential;

/** A credential could not be applied or verified. The message names datasource and role, never a password. */
public class CredentialException extends RuntimeException {
    private final boolean retryable;

    public CredentialException(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}

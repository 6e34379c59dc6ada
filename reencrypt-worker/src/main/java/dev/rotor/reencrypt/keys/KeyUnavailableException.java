package dev.rotor.reencrypt.keys;

import dev.rotor.contracts.catalog.StoreRef;

/** A key version that could not be read. The message names the secret path and version, never material. */
public class KeyUnavailableException extends RuntimeException {
    private final boolean missing;
    private boolean retryable;

    public KeyUnavailableException(String message, boolean missing) {
        super(message);
        this.missing = missing;
    }

    public KeyUnavailableException(String message, boolean missing, Throwable cause) {
        super(message, cause);
        this.missing = missing;
    }

    /** A version the store answered for but does not hold; {@link #missing()} is true. */
    public static KeyUnavailableException noSuchVersion(StoreRef store, int version) {
        String where = "local".equals(store.type()) ? "the local keystore" : "the " + store.type() + " store";
        return new KeyUnavailableException("version " + version + " of secret " + store.path() + " has no material in "
                + where + " (never staged, or retired)", true);
    }

    /** The store did not answer, or answered with a temporary error: the step is worth retrying. */
    public static KeyUnavailableException transientFailure(String message, Throwable cause) {
        KeyUnavailableException e = new KeyUnavailableException(message, false, cause);
        e.retryable = true;
        return e;
    }

    /** True for {@link #transientFailure}: the same read may succeed later. */
    public boolean retryable() {
        return retryable;
    }

    /** True when the store answered but holds no such version: nothing can be encrypted under it. */
    public boolean missing() {
        return missing;
    }
}

package dev.rotor.reencrypt.keys;

import dev.rotor.contracts.catalog.StoreRef;

/** A key version that could not be read. The message names the secret path and version, never material. */
public class KeyUnavailableException extends RuntimeException {
    private final boolean missing;
    private final boolean retryable;

    public KeyUnavailableException(String message, boolean missing) {
        this(message, missing, null);
    }

    public KeyUnavailableException(String message, boolean missing, Throwable cause) {
        this(message, missing ? Kind.MISSING : Kind.REFUSED, cause);
    }

    private enum Kind { MISSING, REFUSED, TRANSIENT }

    private KeyUnavailableException(String message, Kind kind, Throwable cause) {
        super(message, cause);
        this.missing = kind == Kind.MISSING;
        this.retryable = kind == Kind.TRANSIENT;
    }

    /** A version the store answered for but does not hold; {@link #missing()} is true. */
    public static KeyUnavailableException noSuchVersion(StoreRef store, int version) {
        String where = "local".equals(store.type()) ? "the local keystore" : "the " + store.type() + " store";
        return new KeyUnavailableException("version " + version + " of secret " + store.path() + " has no material in "
                + where + " (never staged, or retired)", true);
    }

    /** The store did not answer, or answered with a temporary error: the step is worth retrying. */
    public static KeyUnavailableException transientFailure(String message, Throwable cause) {
        return new KeyUnavailableException(message, Kind.TRANSIENT, cause);
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

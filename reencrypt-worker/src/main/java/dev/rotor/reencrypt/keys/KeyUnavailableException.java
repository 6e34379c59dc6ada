package dev.rotor.reencrypt.keys;

/** A key version that could not be read. The message names the secret path and version, never material. */
public class KeyUnavailableException extends RuntimeException {
    private final boolean missing;

    public KeyUnavailableException(String message, boolean missing) {
        super(message);
        this.missing = missing;
    }

    public KeyUnavailableException(String message, boolean missing, Throwable cause) {
        super(message, cause);
        this.missing = missing;
    }

    /** True when the store answered but holds no such version: nothing can be encrypted under it. */
    public boolean missing() {
        return missing;
    }
}

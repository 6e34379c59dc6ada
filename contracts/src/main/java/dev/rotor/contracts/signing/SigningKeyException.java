package dev.rotor.contracts.signing;

/**
 * A signing key that cannot be used: its setting is missing, its file unreadable, or it holds no Ed25519 key. The
 * message names the setting and the file, never the key's content.
 */
public class SigningKeyException extends IllegalStateException {
    public SigningKeyException(String message) {
        super(message);
    }
}

package dev.rotor.contracts.cipher;

/**
 * A stored value that does not decrypt under the given key: wrong key, wrong row, tampered or malformed. It is bad data,
 * not a transient failure: retrying will not help. The message names the codec and the reason, never key material or
 * plaintext.
 */
public class UndecryptableException extends Exception {

    /** Why a value could not be decrypted. */
    public enum Reason {
        NOT_BASE64("not base64"),
        TOO_SHORT("too short"),
        UNKNOWN_FORMAT("unknown format"),
        KEY_VERSION_MISMATCH("under another key version"),
        AUTHENTICATION_FAILED("authentication failed (wrong key, wrong row or tampered)"),
        BAD_PADDING("bad padding after a valid MAC");

        private final String text;

        Reason(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    private final String codec;
    private final Reason reason;

    public UndecryptableException(String codec, Reason reason) {
        this(codec, reason, null);
    }

    /** @param detail non-secret context only, such as key version numbers */
    public UndecryptableException(String codec, Reason reason, String detail) {
        super("undecryptable " + codec + " value: " + reason.text() + (detail == null ? "" : " (" + detail + ")"));
        this.codec = codec;
        this.reason = reason;
    }

    public String codec() {
        return codec;
    }

    public Reason reason() {
        return reason;
    }
}

package dev.rotor.contracts.signing;

/**
 * A record whose signature does not vouch for it: refused before anything acts on it. Consumers dead-letter it with
 * {@link #getMessage()} as the reason, which names the {@link Reason} and never quotes the payload.
 */
public class UntrustedMessageException extends RuntimeException {
    /** Why a record was refused. */
    public enum Reason {
        /** No {@code ce_rotorsig} or {@code ce_rotorkid} header. */
        UNSIGNED,
        /** Signed by a key this consumer does not trust. */
        UNKNOWN_KEY,
        /** The signature does not match the record: tampered with, or made with another key. */
        BAD_SIGNATURE,
        /** No readable signed {@code ce_time}. */
        NO_TIME,
        /** Signed longer ago than the replay window. */
        TOO_OLD,
        /** Signed further in the future than the allowed clock skew. */
        FROM_THE_FUTURE
    }

    private final Reason reason;

    public UntrustedMessageException(Reason reason, String detail) {
        super(reason.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ": " + detail);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}

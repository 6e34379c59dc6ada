package dev.rotor.reencrypt.engine;

/** How writes are grouped into transactions (catalog {@code reencrypt.mode}). */
public enum Mode {
    /** Every column in one transaction: all or nothing, for offline plans. */
    ATOMIC,
    /** One transaction per chunk, compare-and-set on the old value, resumable: for online plans. */
    ONLINE;

    public static Mode parse(String value) {
        if (value == null || value.isBlank() || value.equalsIgnoreCase("atomic")) {
            return ATOMIC;
        }
        if (value.equalsIgnoreCase("online")) {
            return ONLINE;
        }
        throw new IllegalArgumentException("reencrypt.mode '" + value + "' is not one of atomic, online");
    }
}

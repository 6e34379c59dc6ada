package dev.rotor.reencrypt.engine;

/**
 * A slice of a column's ids, {@code (after, upTo]}: either end open when null. The bounds are the ids' text form
 * ({@code id::text}), bound back as untyped parameters so that PostgreSQL reads them as the id column's own type
 * (uuid, bigint, text, …) and compares on its index.
 */
public record KeyRange(String after, String upTo) {
    /** Every id of the column. */
    public static final KeyRange ALL = new KeyRange(null, null);

    public boolean isAll() {
        return after == null && upTo == null;
    }

    @Override
    public String toString() {
        return "(" + (after == null ? "start" : after) + ", " + (upTo == null ? "end" : upTo) + "]";
    }
}

package dev.rotor.sync.target;

/** What to do with one variable's line. {@code value} is material and must never be logged. */
public record LineChange(Kind kind, String value) {
    public enum Kind { KEEP, SET, CLEAR, REMOVE }

    public static LineChange keep() {
        return new LineChange(Kind.KEEP, null);
    }

    public static LineChange set(String value) {
        return new LineChange(Kind.SET, value);
    }

    /**
     * Clearing leaves an existing line with an empty value ({@code NAME=}), so the app still sees the variable
     * defined; an absent line stays absent.
     */
    public static LineChange clear() {
        return new LineChange(Kind.CLEAR, "");
    }

    /** Back to a saved state: null means the line did not exist. */
    public static LineChange restore(String saved) {
        return saved == null ? new LineChange(Kind.REMOVE, null) : set(saved);
    }

    public boolean isKeep() {
        return kind == Kind.KEEP;
    }

    @Override
    public String toString() {
        return "LineChange[" + kind + "]"; // never the value
    }
}

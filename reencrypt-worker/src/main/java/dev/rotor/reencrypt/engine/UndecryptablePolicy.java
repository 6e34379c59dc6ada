package dev.rotor.reencrypt.engine;

/** What a row that decrypts under neither key does to the job. */
public enum UndecryptablePolicy {
    /** The job fails, naming the row; in atomic mode nothing is written. */
    ABORT,
    /** The row is left as it is and its id is listed in the report. */
    SKIP_AND_REPORT;

    public static UndecryptablePolicy parse(String value) {
        return switch (value == null ? "abort" : value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "abort", "" -> ABORT;
            case "skip-and-report", "skip_and_report" -> SKIP_AND_REPORT;
            default -> throw new IllegalArgumentException(
                    "undecryptable policy '" + value + "' is not one of abort, skip-and-report");
        };
    }
}

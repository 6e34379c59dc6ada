package dev.rotor.reencrypt.engine;

import java.time.Duration;
import java.util.List;

/** The outcome of a job that completed (including a dry run). */
public record ReencryptReport(Mode mode, boolean dryRun, List<ColumnReport> columns, Duration elapsed) {

    public long rewritten() {
        return columns.stream().mapToLong(ColumnReport::rewritten).sum();
    }

    public long undecryptable() {
        return columns.stream().mapToLong(ColumnReport::undecryptable).sum();
    }

    public long rows() {
        return columns.stream().mapToLong(ColumnReport::rows).sum();
    }

    /**
     * For a dry run: the expected duration of the real run. The dry run does the reads and all the crypto; the real
     * run adds the set-based writes, which the benchmark measured at about as long again.
     */
    public Duration estimatedRun() {
        return dryRun ? elapsed.multipliedBy(2) : elapsed;
    }

    /** One line for a step reply: counts and ids, never values. */
    public String summary() {
        String per = String.join("; ", columns.stream().map(ColumnReport::toString).toList());
        if (dryRun) {
            return "dry run: " + rewritten() + " rows would be re-encrypted in " + columns.size() + " column"
                    + (columns.size() == 1 ? "" : "s") + ", " + undecryptable() + " undecryptable; estimated "
                    + Math.max(1, estimatedRun().toSeconds()) + " s (" + per + ")";
        }
        return rewritten() + " rows re-encrypted in " + columns.size() + " column" + (columns.size() == 1 ? "" : "s")
                + " (" + per + ")";
    }
}

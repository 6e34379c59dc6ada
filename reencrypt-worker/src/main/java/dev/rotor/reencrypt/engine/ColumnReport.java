package dev.rotor.reencrypt.engine;

import java.util.ArrayList;
import java.util.List;

/** What a job did to one column. Row ids only, never values. */
public final class ColumnReport {
    /** Undecryptable ids kept for the report; the count goes on past it. */
    static final int MAX_LISTED = 1000;

    private final String column;
    long rows;
    long rewritten;
    long alreadyUnderTarget;
    long undecryptable;
    long casRetries;
    int passes;
    long readNanos;
    long cryptoWaitNanos;
    long copyNanos;
    long updateNanos;
    long commitNanos;
    final List<String> undecryptableIds = new ArrayList<>();

    ColumnReport(String column) {
        this.column = column;
    }

    /**
     * What the scale-out chunks of a column did (their first pass), as the chunk table recorded it, for the
     * coordinator to add its verification passes to.
     */
    public static ColumnReport ofChunks(String column, long rows, long rewritten, long alreadyUnderTarget,
            long undecryptable, List<String> undecryptableIds) {
        ColumnReport r = new ColumnReport(column);
        r.rows = rows;
        r.rewritten = rewritten;
        r.alreadyUnderTarget = alreadyUnderTarget;
        r.undecryptable = undecryptable;
        r.undecryptableIds.addAll(undecryptableIds.subList(0, Math.min(MAX_LISTED, undecryptableIds.size())));
        r.passes = 1;
        return r;
    }

    /** Adds the chunks' first pass to this report of the verification passes. */
    void addChunks(ColumnReport chunks) {
        rows += chunks.rows;
        rewritten += chunks.rewritten;
        alreadyUnderTarget += chunks.alreadyUnderTarget;
        undecryptable += chunks.undecryptable;
        for (String id : chunks.undecryptableIds) {
            if (undecryptableIds.size() < MAX_LISTED) {
                undecryptableIds.add(id);
            }
        }
        passes += chunks.passes;
    }

    void undecryptable(String id) {
        undecryptable++;
        if (undecryptableIds.size() < MAX_LISTED) {
            undecryptableIds.add(id);
        }
    }

    /** {@code table.column} as in the catalog. */
    public String column() {
        return column;
    }

    /** Rows with a non-null value seen in the first pass. */
    public long rows() {
        return rows;
    }

    /** Rows rewritten under the target key (in a dry run: that would be). */
    public long rewritten() {
        return rewritten;
    }

    /** Rows found already under the target key and left alone. */
    public long alreadyUnderTarget() {
        return alreadyUnderTarget;
    }

    public long undecryptable() {
        return undecryptable;
    }

    /** The first {@value #MAX_LISTED} undecryptable row ids. */
    public List<String> undecryptableIds() {
        return List.copyOf(undecryptableIds);
    }

    /** Rows the application changed between our read and our write (online), re-read and retried. */
    public long casRetries() {
        return casRetries;
    }

    public int passes() {
        return passes;
    }

    /** Where the job's own thread spent its time (the crypto pool runs beside it), for the benchmark. */
    public String phases() {
        return String.format("read %.1f s, waiting for crypto %.1f s, COPY in %.1f s, UPDATE %.1f s, commits %.1f s",
                readNanos / 1e9, cryptoWaitNanos / 1e9, copyNanos / 1e9, updateNanos / 1e9, commitNanos / 1e9);
    }

    @Override
    public String toString() {
        return column + ": " + rewritten + " re-encrypted, " + alreadyUnderTarget + " already under the target key, "
                + undecryptable + " undecryptable" + (undecryptable > 0 ? " (ids " + undecryptableIds + ")" : "");
    }
}

package dev.rotor.contracts.catalog;

import java.time.Duration;
import java.util.List;

/**
 * A check that a recent backup of the re-encrypted database exists, run by reencrypt-worker as the first step
 * (CHECK_BACKUP) of every plan of the entry that re-encrypts, before anything is staged, drained or written. Exactly
 * one of:
 * <ul>
 *   <li>{@code sql}: a query run on the entry's datasource in a read-only transaction; it passes when it returns a
 *       row whose first column is {@code true}, for example {@code select last_archived_time > now() - interval
 *       '1 hour' from pg_stat_archiver};</li>
 *   <li>{@code command}: an argv run without a shell on the worker's host (for example
 *       {@code [pgbackrest, --stanza=app, check]}); it passes when it exits with status 0.</li>
 * </ul>
 * A rotation request can skip it with a reason ({@code backupCheckOverride}), which the audit log records.
 *
 * @param timeout how long the check may take (catalog duration, at most 5m); default 30s
 */
public record BackupCheckSpec(String sql, List<String> command, String timeout) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration MAX_TIMEOUT = Duration.ofMinutes(5);

    public BackupCheckSpec {
        command = command == null ? null : List.copyOf(command);
    }

    public Duration timeoutDuration() {
        return timeout == null ? DEFAULT_TIMEOUT : Durations.parse(timeout);
    }

    /** What a message names: the kind of check and the program or the query's start, never more. */
    public String describe() {
        if (sql != null) {
            String oneLine = sql.strip().replaceAll("\\s+", " ");
            return "sql check '" + (oneLine.length() > 60 ? oneLine.substring(0, 57) + "..." : oneLine) + "'";
        }
        return "command check '" + (command == null || command.isEmpty() ? "?" : command.get(0)) + "'";
    }
}

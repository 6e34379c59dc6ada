package dev.rotor.reencrypt.command;

import dev.rotor.contracts.catalog.BackupCheckSpec;
import dev.rotor.contracts.catalog.ReencryptSpec;
import dev.rotor.contracts.messages.Direction;
import dev.rotor.contracts.messages.StepRequested;
import dev.rotor.contracts.messages.StepResult;
import dev.rotor.contracts.messages.StepSpec;
import dev.rotor.reencrypt.engine.ReencryptException;
import dev.rotor.reencrypt.engine.SqlErrors;
import dev.rotor.reencrypt.jobs.WorkerBeans;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Performs a CHECK_BACKUP command: the entry's {@code reencrypt.backup-check} must pass before the rotation stages,
 * drains or writes anything. A query runs on the entry's datasource in a read-only transaction and passes when its
 * first row's first column is {@code true}; a command runs without a shell, in an environment holding only
 * {@code PATH}, {@code HOME} and {@code LANG} of the worker's, and passes when it exits with 0 before the timeout.
 *
 * <p>A check that answers "no" fails the step without a retry: asking again would not make a backup. A connection
 * problem, a lock or a lack of resources is retryable. Neither the query's result nor the command's output is ever
 * copied into a reply or a log line (they are the operator's, and could hold anything); the exit status and the
 * SQLState are.
 *
 * <p>Idempotent: a check changes nothing, so a redelivered command simply checks again. Duplicates of a running
 * check are caught in {@link dev.rotor.reencrypt.jobs.JobRegistry} on (rotationId, step, attempt, direction).
 */
@ApplicationScoped
public class BackupCheckHandler {
    private static final Logger LOG = Logger.getLogger(BackupCheckHandler.class);

    @Inject
    WorkerBeans beans;

    public StepResult run(StepRequested command) {
        StepSpec spec = command.spec();
        if (command.direction() == Direction.COMPENSATE) {
            return command.compensated("nothing to undo: a backup check changes nothing");
        }
        ReencryptSpec re = spec.reencrypt();
        BackupCheckSpec check = re == null ? null : re.backupCheck();
        if (check == null) {
            return command.failed(false, "secret " + spec.secretId() + " has no reencrypt.backup-check in the catalog");
        }
        Duration timeout;
        try {
            timeout = check.timeoutDuration();
        } catch (IllegalArgumentException e) {
            return command.failed(false, "reencrypt.backup-check.timeout: " + e.getMessage());
        }
        StepResult result = check.sql() != null ? query(command, re.datasource(), check, timeout)
                : run(command, check, timeout);
        LOG.infof("CHECK_BACKUP of rotation %s (secret %s, attempt %d): %s", command.rotationId(), spec.secretId(),
                command.attempt(), describe(result));
        return result;
    }

    private StepResult query(StepRequested command, String datasource, BackupCheckSpec check, Duration timeout) {
        String what = check.describe() + " on datasource " + datasource;
        try (Connection c = beans.datasource(datasource).open()) {
            c.setReadOnly(true);
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
                try (ResultSet rs = st.executeQuery(check.sql())) {
                    if (!rs.next()) {
                        return command.failed(false, "backup check failed: " + what + " returned no row");
                    }
                    Object first = rs.getObject(1);
                    if (first == null) {
                        // SQL's unknown, e.g. no WAL archived yet: not a pass.
                        return command.failed(false, "backup check failed: " + what + " returned null");
                    }
                    if (!(first instanceof Boolean passed)) {
                        return command.failed(false, "backup check failed: " + what + " must return a boolean first"
                                + " column, got a " + rs.getMetaData().getColumnTypeName(1));
                    }
                    if (!passed) {
                        return command.failed(false, "backup check failed: " + what + " returned false");
                    }
                }
            } finally {
                c.rollback();
            }
            return command.succeeded(null, null, "backup check passed: " + what);
        } catch (SQLException e) {
            // "57014" is a cancelled statement: the query outran the check's timeout.
            boolean timedOut = "57014".equals(e.getSQLState());
            return command.failed(!timedOut && SqlErrors.retryable(e.getSQLState()), "backup check could not run: "
                    + what + (timedOut ? " took longer than " + timeout.toSeconds() + " s" : ": " + e.getMessage())
                    + " [SQLState " + e.getSQLState() + "]");
        } catch (ReencryptException e) {
            return command.failed(e.retryable(), "backup check could not run: " + e.getMessage());
        }
    }

    private static StepResult run(StepRequested command, BackupCheckSpec check, Duration timeout) {
        String what = check.describe();
        ProcessBuilder pb = new ProcessBuilder(check.command())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        Map<String, String> env = pb.environment();
        Map<String, String> inherited = Map.copyOf(env);
        env.clear();
        for (String name : new String[] {"PATH", "HOME", "LANG"}) {
            if (inherited.containsKey(name)) {
                env.put(name, inherited.get(name));
            }
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return command.failed(false, "backup check could not run: " + what + " did not start ("
                    + e.getClass().getSimpleName() + ")");
        }
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                return command.failed(false, "backup check failed: " + what + " did not finish within "
                        + timeout.toSeconds() + " s and was killed");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return command.failed(true, "backup check interrupted: " + what + " (the worker is stopping)");
        }
        int status = p.exitValue();
        return status == 0 ? command.succeeded(null, null, "backup check passed: " + what + " exited with 0")
                : command.failed(false, "backup check failed: " + what + " exited with status " + status);
    }

    private static String describe(StepResult r) {
        return r.getClass().getSimpleName() + (r instanceof dev.rotor.contracts.messages.StepFailed f
                ? " (" + f.error() + ")" : "");
    }
}

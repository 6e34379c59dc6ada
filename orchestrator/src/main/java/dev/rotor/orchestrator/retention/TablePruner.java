package dev.rotor.orchestrator.retention;

import dev.rotor.orchestrator.config.OrchestratorConfig;
import io.agroal.api.AgroalDataSource;
import dev.rotor.orchestrator.persistence.ShuttingDown;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Keeps the bookkeeping tables from growing without end. Once older than {@code rotor.orchestrator.retention.period}:
 * <ul>
 * <li>published outbox rows (an unpublished row is never removed, whatever its age);</li>
 * <li>the reply and request de-duplication rows of rotations that ended that long ago and wait for no timer (a
 * rotation in grace still expects its RETIRE_PREVIOUS reply), and requests that started no rotation.</li>
 * </ul>
 * The audit log ({@code audit_entry}) is never pruned: it is append-only (its trigger refuses deletes) and its hash
 * chain would show any gap.
 * <p>Deletes go in batches of {@value #BATCH} rows, each its own short transaction, so the relay and the consumers are
 * never blocked for long. Repeating a run is harmless: it deletes only what is still there.
 */
@ApplicationScoped
public class TablePruner {
    private static final Logger LOG = Logger.getLogger(TablePruner.class);
    static final int BATCH = 5000;

    private static final String OUTBOX = "delete from outbox where seq in (select seq from outbox"
            + " where published_at is not null and published_at < ? limit " + BATCH + ")";
    private static final String ENDED = "select r.id from rotation r where r.completed_at is not null"
            + " and r.completed_at < ? and not exists (select 1 from timer t where t.rotation_id = r.id"
            + " and t.fired_at is null)";
    private static final String REPLIES = "delete from processed_reply where ctid in (select p.ctid from"
            + " processed_reply p where p.rotation_id in (" + ENDED + ") limit " + BATCH + ")";
    private static final String REQUESTS = "delete from processed_request where request_id in (select q.request_id"
            + " from processed_request q where q.received_at < ? and (q.rotation_id is null or q.rotation_id in ("
            + ENDED + ")) limit " + BATCH + ")";

    @Inject
    AgroalDataSource dataSource;
    @Inject
    OrchestratorConfig config;

    /** What one run removed. */
    public record Pruned(int outbox, int replies, int requests) {
    }

    @Scheduled(every = "${rotor.orchestrator.retention.prune-interval:1h}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = ShuttingDown.class)
    void scheduled() {
        try {
            Pruned p = prune(Instant.now());
            if (p.outbox() + p.replies() + p.requests() > 0) {
                LOG.infof("pruned %d published outbox rows, %d reply and %d request de-duplication rows",
                        p.outbox(), p.replies(), p.requests());
            }
        } catch (SQLException e) {
            LOG.warnf("pruning failed, next run will retry: SQLState %s", e.getSQLState());
        }
    }

    /** Removes what is older than the retention period before {@code now}. Blocking. */
    public Pruned prune(Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            return prune(c, now);
        }
    }

    /** The same on the caller's connection, whose transaction mode decides when the deletes commit. */
    Pruned prune(Connection c, Instant now) throws SQLException {
        Timestamp cutoff = Timestamp.from(now.minus(config.retention().period()));
        return new Pruned(drain(c, OUTBOX, cutoff, 1), drain(c, REPLIES, cutoff, 1), drain(c, REQUESTS, cutoff, 2));
    }

    private static int drain(Connection c, String sql, Timestamp cutoff, int parameters) throws SQLException {
        int total = 0;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 1; i <= parameters; i++) {
                ps.setTimestamp(i, cutoff);
            }
            int n;
            do {
                n = ps.executeUpdate();
                total += n;
            } while (n == BATCH);
        }
        return total;
    }
}

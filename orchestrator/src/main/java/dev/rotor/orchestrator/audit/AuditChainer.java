package dev.rotor.orchestrator.audit;

import io.agroal.api.AgroalDataSource;
import io.quarkus.hibernate.reactive.panache.Panache;
import dev.rotor.orchestrator.persistence.ShuttingDown;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jboss.logging.Logger;

/**
 * Extends the audit chain with the entries transitions committed to {@code audit_pending}: every 500 ms, and before
 * every read of the log ({@link #chainNow()}). The database function does the work under the head's row lock, in
 * pending order, so the chain stays linear with any number of orchestrators; a transition's own commit takes no
 * shared lock (V9).
 */
@ApplicationScoped
public class AuditChainer {
    private static final Logger LOG = Logger.getLogger(AuditChainer.class);
    static final int BATCH = 1000;

    @Inject
    AgroalDataSource db;

    @Scheduled(every = "0.5s", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = ShuttingDown.class)
    void chain() {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select audit_chain_pending(?)")) {
            c.setAutoCommit(true);
            ps.setInt(1, BATCH);
            int chained;
            do {
                try (ResultSet rs = ps.executeQuery()) {
                    chained = rs.next() ? rs.getInt(1) : 0;
                }
            } while (chained == BATCH);
        } catch (SQLException e) {
            LOG.warnf("audit chaining will retry: %s", e.getMessage());
        }
    }

    /** Chains everything committed so far, in its own transaction; for readers that must see every entry. */
    public static Uni<Void> chainNow() {
        return Panache.withTransaction(() -> Panache.getSession().chain(s -> s.createNativeQuery(
                "select audit_chain_pending(2147483647)").getSingleResult())).replaceWithVoid();
    }
}

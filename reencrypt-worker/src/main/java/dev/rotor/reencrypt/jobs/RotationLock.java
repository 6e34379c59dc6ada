package dev.rotor.reencrypt.jobs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import dev.rotor.reencrypt.engine.Database;
import dev.rotor.reencrypt.engine.ReencryptException;
import dev.rotor.reencrypt.engine.RunControl;
import dev.rotor.reencrypt.engine.SqlErrors;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * One rotation's REENCRYPT jobs, one at a time across every worker instance: a session-level advisory lock in the
 * target database, held on a connection of its own for as long as the job runs. In one process {@link JobRegistry}
 * already runs a rotation's jobs one after the other; this covers a command that a consumer-group rebalance hands to
 * another replica while the first still runs it, and a compensation that reaches another replica than its forward job.
 * The second job waits for the first to end (a crashed holder's session ends with it, which frees the lock), then runs
 * and finds done what the first did: rows under the target key are left alone.
 *
 * <p>The lock is PostgreSQL's single-bigint form, so it never meets the chunks' two-int locks.
 */
public final class RotationLock implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RotationLock.class);
    /** Folded into the key so that another application's bigint advisory locks on the same database hardly meet ours. */
    private static final long SALT = 0x726f746f722d7265L; // "rotor-re"
    private static final long POLL_MILLIS = 500;

    private final Connection connection;

    private RotationLock(Connection connection) {
        this.connection = connection;
    }

    /**
     * Waits until no other session runs a job of {@code rotation}, then holds it until {@link #close}.
     *
     * @throws ReencryptException retryable, when the database cannot be reached or the job was cancelled meanwhile
     */
    public static RotationLock acquire(Database db, UUID rotation, RunControl control) {
        long key = rotation.getMostSignificantBits() ^ Long.rotateLeft(rotation.getLeastSignificantBits(), 17) ^ SALT;
        Connection c = null;
        try {
            c = db.open();
            c.setAutoCommit(true);
            boolean logged = false;
            while (!tryLock(c, key)) {
                if (!logged) {
                    LOG.infof("rotation %s: another worker runs a REENCRYPT job of it; waiting for it to end", rotation);
                    logged = true;
                }
                if (control.cancelled()) {
                    throw new ReencryptException("cancelled while another worker ran a REENCRYPT job of rotation "
                            + rotation, true);
                }
                Thread.sleep(POLL_MILLIS);
            }
            return new RotationLock(c);
        } catch (SQLException e) {
            closeQuietly(c);
            // The message names the SQLState only: a server message could quote the connection's settings.
            throw new ReencryptException("could not take the rotation's lock in the target database [SQLState "
                    + e.getSQLState() + "]", SqlErrors.retryable(e.getSQLState()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(c);
            throw new ReencryptException("interrupted while another worker ran a REENCRYPT job of rotation "
                    + rotation, true);
        } catch (RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    private static boolean tryLock(Connection c, long key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            ps.setLong(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** Ends the session, which releases the lock. */
    @Override
    public void close() {
        closeQuietly(connection);
    }

    private static void closeQuietly(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException ignored) {
            // The server releases a session's locks when the session ends, however it ends.
        }
    }
}

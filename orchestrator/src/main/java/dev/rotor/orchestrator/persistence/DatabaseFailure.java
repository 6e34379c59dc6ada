package dev.rotor.orchestrator.persistence;

import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;
import java.io.IOException;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Whether a failed unit of work may succeed when simply run again. Transient: the database could not be reached or
 * asked us to try again (SQLState class 08 connection, 40 transaction rollback, 53 insufficient resources;
 * 57P01–57P03 shutdown and start-up, 57014 statement timeout, 55P03 lock timeout), a closed connection, an I/O error
 * or a timeout anywhere in the cause chain. Everything else is permanent: running it again gives the same answer.
 */
public enum DatabaseFailure {
    TRANSIENT, PERMANENT;

    private static final Set<String> TRANSIENT_CLASSES = Set.of("08", "40", "53");
    private static final Set<String> TRANSIENT_STATES = Set.of("57P01", "57P02", "57P03", "57014", "55P03");

    public static DatabaseFailure of(Throwable failure) {
        for (Throwable c = failure; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String state = c instanceof SQLException s ? s.getSQLState()
                    : c instanceof DatabaseException d ? d.getSqlState() : null;
            if (state != null) {
                return isTransient(state) ? TRANSIENT : PERMANENT;
            }
            if (c instanceof ClosedConnectionException || c instanceof IOException
                    || c instanceof TimeoutException) {
                return TRANSIENT;
            }
        }
        return PERMANENT;
    }

    public static boolean isTransient(Throwable failure) {
        return of(failure) == TRANSIENT;
    }

    static boolean isTransient(String sqlState) {
        return sqlState.length() == 5
                && (TRANSIENT_CLASSES.contains(sqlState.substring(0, 2)) || TRANSIENT_STATES.contains(sqlState));
    }
}

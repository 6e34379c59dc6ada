package dev.rotor.reencrypt.engine;

import java.sql.SQLException;

/** Database errors as job failures: connection, lock and resource trouble is transient, the rest is not. */
public final class SqlErrors {
    private SqlErrors() {
    }

    static ReencryptException wrap(String context, SQLException e) {
        String state = e.getSQLState();
        return new ReencryptException(context + ": " + e.getMessage() + " [SQLState " + state + "]",
                retryable(state), e);
    }

    public static boolean retryable(String state) {
        if (state == null) {
            return true;
        }
        // 08 connection, 40 serialization/deadlock, 53 resources, 57 operator intervention, 58 system, 55P03 lock.
        return state.startsWith("08") || state.startsWith("40") || state.startsWith("53") || state.startsWith("57")
                || state.startsWith("58") || state.equals("55P03");
    }
}

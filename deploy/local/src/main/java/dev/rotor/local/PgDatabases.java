package dev.rotor.local;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

/**
 * Creates a database if it is missing, on any PostgreSQL server reachable by JDBC.
 *
 * <p>Why: each service owns its own database (design), and test JVMs share one server, so creation must be
 * idempotent and tolerate two callers racing ({@code CREATE DATABASE} has no {@code IF NOT EXISTS}).
 */
public final class PgDatabases {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
    private static final String DUPLICATE_DATABASE = "42P04";
    private static final String UNIQUE_VIOLATION = "23505";

    private PgDatabases() {
    }

    /**
     * Ensures {@code name} exists, connecting through {@code adminJdbcUrl} (any existing database on the server).
     *
     * @return true when this call created it
     */
    public static boolean create(String adminJdbcUrl, String user, String password, String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a plain PostgreSQL identifier: " + name);
        }
        try (Connection c = DriverManager.getConnection(adminJdbcUrl, user, password)) {
            if (exists(c, name)) {
                return false;
            }
            try (Statement st = c.createStatement()) {
                st.execute("CREATE DATABASE \"" + name + "\"");
                return true;
            } catch (SQLException e) {
                if (DUPLICATE_DATABASE.equals(e.getSQLState()) || UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    return false; // someone else won the race
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + " via " + adminJdbcUrl + ": "
                    + e.getMessage(), e);
        }
    }

    private static boolean exists(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}

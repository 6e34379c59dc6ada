package dev.rotor.systemtests;

import dev.rotor.local.PgServer;
import dev.rotor.local.PostgresResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Login roles in the test JVM's PostgreSQL whose passwords are really checked. The embedded server trusts every local
 * login, so, as secret-sync's {@code ScramPostgres} does, members of the group {@link #GROUP} are made to authenticate
 * with scram-sha-256 by pg_hba lines put in front of the trust lines, then {@code pg_reload_conf()}. Other roles
 * (the orchestrator's admin user among them) keep trust.
 */
final class ScramRoles {
    static final String GROUP = "rotor_scram";
    private static boolean enforced;

    private ScramRoles() {
    }

    static synchronized PgServer server() throws Exception {
        PgServer pg = PostgresResource.server();
        if (!enforced) {
            try (Connection c = admin(pg); Statement s = c.createStatement()) {
                ResultSet rs = s.executeQuery("SHOW hba_file");
                rs.next();
                Path hba = Path.of(rs.getString(1));
                String rules = "host all +" + GROUP + " 127.0.0.1/32 scram-sha-256\nhost all +" + GROUP
                        + " ::1/128 scram-sha-256\n";
                String current = Files.readString(hba);
                if (!current.startsWith(rules)) {
                    Files.writeString(hba, rules + current);
                }
                s.execute("DO $$ BEGIN CREATE ROLE " + GROUP + " NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; "
                        + "END $$");
                s.execute("SET password_encryption = 'scram-sha-256'");
                s.execute("SELECT pg_reload_conf()");
            }
            enforced = true;
        }
        return pg;
    }

    static String url(PgServer pg) {
        return pg.jdbcUrl("postgres");
    }

    static Connection admin(PgServer pg) throws SQLException {
        return DriverManager.getConnection(url(pg), pg.user(), pg.password());
    }

    /** A fresh login role in the scram group with a known password (stored as a SCRAM verifier). */
    static void createRole(String role, String password) throws Exception {
        try (Connection c = admin(server()); Statement s = c.createStatement()) {
            s.execute("SET password_encryption = 'scram-sha-256'");
            s.execute("DROP ROLE IF EXISTS " + role);
            s.execute("CREATE ROLE " + role + " LOGIN IN ROLE " + GROUP + " PASSWORD '" + password.replace("'", "''")
                    + "'");
        }
    }

    /** Null when the role logs in with this password, else the SQLSTATE of the refusal (28P01: wrong password). */
    static String login(String role, String password) throws Exception {
        Properties p = new Properties();
        p.setProperty("user", role);
        p.setProperty("password", password);
        try (Connection c = DriverManager.getConnection(url(server()), p); Statement s = c.createStatement()) {
            s.execute("SELECT 1");
            return null;
        } catch (SQLException e) {
            return e.getSQLState();
        }
    }

    /** The role's stored verifier ({@code SCRAM-SHA-256$4096:salt$...}); a new salt means a new ALTER ROLE. */
    static String verifier(String role) throws Exception {
        try (Connection c = admin(server()); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT rolpassword FROM pg_authid WHERE rolname = '" + role + "'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}

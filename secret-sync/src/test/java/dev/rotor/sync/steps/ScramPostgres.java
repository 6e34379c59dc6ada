package dev.rotor.sync.steps;

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
 * The test JVM's embedded PostgreSQL, with one change that makes password tests mean something: it trusts every
 * local login, so members of the group role {@code rotor_scram} are made to authenticate with scram-sha-256 by a
 * pg_hba line put in front of the trust lines (then {@code pg_reload_conf()}). Other roles keep trust.
 */
final class ScramPostgres {
    static final String GROUP = "rotor_scram";
    private static PgServer server;

    private ScramPostgres() {
    }

    static synchronized PgServer server() throws Exception {
        if (server != null) {
            return server;
        }
        PgServer pg = PostgresResource.server();
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
            s.execute("DO $$ BEGIN CREATE ROLE " + GROUP + " NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
            s.execute("SELECT pg_reload_conf()");
        }
        server = pg;
        return pg;
    }

    static String url(PgServer pg) {
        return pg.jdbcUrl("postgres");
    }

    static Connection admin(PgServer pg) throws SQLException {
        return DriverManager.getConnection(url(pg), pg.user(), pg.password());
    }

    /** A fresh login role in the scram group with a known first password. */
    static void createRole(String role, String password) throws Exception {
        try (Connection c = admin(server()); Statement s = c.createStatement()) {
            s.execute("DROP ROLE IF EXISTS " + role);
            s.execute("CREATE ROLE " + role + " LOGIN IN ROLE " + GROUP + " PASSWORD '" + password + "'");
        }
    }

    /** Null when the role logs in with this password, else the SQLSTATE of the refusal. */
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
}

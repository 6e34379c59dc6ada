package dev.rotor.sync.credential;

import dev.rotor.contracts.redact.SafeUrl;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Changes a PostgreSQL role's password over the admin connection and proves it with a fresh login as that role
 * (test-before-promote). A failed login puts the old password back, when one is known, before failing. Messages
 * carry the datasource, role and SQLSTATE only: driver messages can quote statement text.
 */
public class CredentialApplier {

    /** Logs in as {@code role}; throws when the server refuses. A seam for tests of the rollback path. */
    public interface LoginCheck {
        void login(Datasource ds, String role, String password) throws SQLException;
    }

    public static final LoginCheck FRESH_LOGIN = (ds, role, password) -> {
        try (Connection c = connect(ds.url(), role, password); Statement s = c.createStatement()) {
            s.execute("SELECT 1");
        }
    };

    private final LoginCheck check;

    public CredentialApplier(LoginCheck check) {
        this.check = check;
    }

    /** Sets {@code newPassword}, then logs in with it; on failure restores {@code oldPassword} (if not null). */
    public void apply(Datasource ds, String role, String newPassword, String oldPassword) {
        set(ds, role, newPassword);
        SQLException refused = tryLogin(ds, role, newPassword);
        if (refused == null) {
            return;
        }
        String what = "the new password of role " + role + " in datasource " + ds.name()
                + " did not log in (SQLSTATE " + refused.getSQLState() + ")";
        if (oldPassword == null) {
            throw new CredentialException(what + "; no earlier password is known to restore", false);
        }
        set(ds, role, oldPassword);
        SQLException again = tryLogin(ds, role, oldPassword);
        throw new CredentialException(what + (again == null ? "; the old password was restored and logs in"
                : "; the old password was restored but does not log in either (SQLSTATE " + again.getSQLState()
                        + ")"), isConnectionTrouble(refused));
    }

    /** Sets {@code password} again and proves it logs in (the compensation; harmless when nothing changed). */
    public void restore(Datasource ds, String role, String password) {
        set(ds, role, password);
        SQLException refused = tryLogin(ds, role, password);
        if (refused != null) {
            throw new CredentialException("the restored password of role " + role + " in datasource " + ds.name()
                    + " does not log in (SQLSTATE " + refused.getSQLState() + ")", isConnectionTrouble(refused));
        }
    }

    void set(Datasource ds, String role, String password) {
        String quoted = RoleNames.quoted(role, "credential.role");
        // The verifier holds only base64, '$' and ':' characters, so it is safe inside a literal.
        String sql = "ALTER ROLE " + quoted + " PASSWORD '" + ScramVerifier.of(password) + "'";
        try (Connection admin = connect(ds.url(), ds.username(), ds.password()); Statement s = admin.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw failure(e, ds, role);
        }
    }

    private SQLException tryLogin(Datasource ds, String role, String password) {
        try {
            check.login(ds, role, password);
            return null;
        } catch (SQLException e) {
            return e;
        }
    }

    private static CredentialException failure(SQLException e, Datasource ds, String role) {
        String state = e.getSQLState() == null ? "none" : e.getSQLState();
        if (state.startsWith("28")) {
            return new CredentialException("datasource " + ds.name() + " refused the admin login of user "
                    + ds.username() + " (SQLSTATE " + state + "): check rotor.sync.datasources." + ds.name()
                    + ".username/password", false);
        }
        if (isConnectionTrouble(e)) {
            return new CredentialException("cannot reach datasource " + ds.name() + " at " + SafeUrl.redact(ds.url())
                    + " (SQLSTATE " + state + ")", true);
        }
        if (state.equals("42704")) {
            return new CredentialException("role " + role + " does not exist in datasource " + ds.name(), false);
        }
        if (state.equals("42501")) {
            return new CredentialException("user " + ds.username() + " may not alter role " + role + " in datasource "
                    + ds.name() + ": it needs CREATEROLE (or superuser)", false);
        }
        return new CredentialException("ALTER ROLE " + role + " failed in datasource " + ds.name() + " (SQLSTATE "
                + state + ")", false);
    }

    private static boolean isConnectionTrouble(SQLException e) {
        return e.getSQLState() == null || e.getSQLState().startsWith("08") || e.getSQLState().startsWith("57P");
    }

    static Connection connect(String url, String user, String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password == null ? "" : password);
        p.setProperty("connectTimeout", "10");
        p.setProperty("loginTimeout", "10");
        p.setProperty("ApplicationName", "rotor-secret-sync");
        Connection c = new org.postgresql.Driver().connect(url, p);
        if (c == null) {
            throw new SQLException("not a jdbc:postgresql URL", "08001");
        }
        return c;
    }
}

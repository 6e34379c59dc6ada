package dev.rotor.reencrypt.engine;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.Properties;

/** Where a job's connection comes from: one connection per job (atomic mode needs one transaction). */
@FunctionalInterface
public interface Database {
    Connection open() throws SQLException;

    /**
     * A PostgreSQL database over the plain JDBC driver. Server error details are kept out of exception messages:
     * they can quote row values.
     */
    static Database postgres(String url, String user, String password) {
        Driver driver = new org.postgresql.Driver();
        return () -> {
            Properties props = new Properties();
            if (user != null) {
                props.setProperty("user", user);
            }
            if (password != null) {
                props.setProperty("password", password);
            }
            props.setProperty("logServerErrorDetail", "false");
            props.setProperty("ApplicationName", "rotor-reencrypt-worker");
            props.setProperty("tcpKeepAlive", "true");
            Connection c = driver.connect(url, props);
            if (c == null) {
                throw new SQLException("the datasource URL is not a jdbc:postgresql: URL", "08001");
            }
            return c;
        };
    }
}

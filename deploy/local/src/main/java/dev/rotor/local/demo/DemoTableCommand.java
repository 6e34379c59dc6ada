package dev.rotor.local.demo;

import dev.rotor.local.PgDatabases;
import dev.rotor.local.PgPassword;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code demo-table seed|verify}: the demo's Lockbox table. The master key is read from the demo {@code .env}, the way
 * the app reads it, and is never printed. The database password comes from {@code ROTOR_PG_PASSWORD} or a file, never
 * from the command line.
 */
@Command(name = "demo-table", description = "Seed or verify the demo's Lockbox-encrypted credentials table.")
public final class DemoTableCommand implements Callable<Integer> {
    static final String PASSWORD_ENV = "ROTOR_PG_PASSWORD";

    @Parameters(index = "0", description = "seed or verify")
    String action;

    @Option(names = "--jdbc-url", required = true)
    String jdbcUrl;

    @Option(names = "--admin-jdbc-url", description = "an existing database on the same server, through which seed"
            + " creates the table's database when it is missing (an outside PostgreSQL)")
    String adminJdbcUrl;

    @Option(names = "--user", defaultValue = "postgres")
    String user;

    // No --password: process arguments are visible to every local user (ps, /proc/<pid>/cmdline).
    @Option(names = "--password-file", description = "a file (mode 0600) holding the password; without it the"
            + " environment variable " + PASSWORD_ENV + " holds it (default postgres)")
    Path passwordFile;

    @Option(names = "--env-file", required = true, description = "the .env holding LOCKBOX_MASTER_KEY")
    Path envFile;

    @Option(names = "--rows", defaultValue = "10000")
    int rows;

    @Override
    public Integer call() throws Exception {
        String key = LockboxTable.masterKeyIn(envFile).orElse(null);
        if (key == null) {
            System.out.println("no LOCKBOX_MASTER_KEY in " + envFile);
            return 2;
        }
        String password = password(System.getenv(PASSWORD_ENV));
        if (adminJdbcUrl != null && action.equals("seed")) {
            PgDatabases.create(adminJdbcUrl, user, password, LockboxTable.databaseOf(jdbcUrl));
        }
        try (Connection c = LockboxTable.connect(jdbcUrl, user, password)) {
            if (action.equals("seed")) {
                int seeded = LockboxTable.seed(c, key, rows);
                System.out.println(seeded == 0 ? "credentials table already seeded"
                        : "seeded " + seeded + " Lockbox rows in table credentials");
                return 0;
            }
            long[] result = LockboxTable.verify(c, key);
            System.out.printf("%d of %d rows of credentials decrypt with the LOCKBOX_MASTER_KEY now in %s%n",
                    result[0], result[1], envFile.getFileName());
            return result[0] == result[1] && result[1] > 0 ? 0 : 1;
        }
    }

    String password(String fromEnvironment) throws java.io.IOException {
        return PgPassword.read(passwordFile, fromEnvironment);
    }

}

package dev.rotor.local;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * A real PostgreSQL 15 server started from the zonky binaries as a child process.
 *
 * <p>Why: tests must run against the real database (Flyway migrations, {@code unnest} batches, locking) on
 * machines without Docker. zonky starts in 1–2 s and, as root, runs {@code initdb}/{@code postgres} through
 * {@code unshare}. Authentication is {@code trust}: user {@code postgres}, any password.
 */
public final class EmbeddedPostgres implements AutoCloseable {

    static {
        QuietLogs.apply();
    }

    /** The superuser zonky's {@code initdb} creates. */
    public static final String USER = "postgres";
    /** Ignored by the server ({@code trust}), but clients such as the Vert.x pool like to send one. */
    public static final String PASSWORD = "postgres";

    private final io.zonky.test.db.postgres.embedded.EmbeddedPostgres pg;
    private final Path dataDir;

    private EmbeddedPostgres(io.zonky.test.db.postgres.embedded.EmbeddedPostgres pg, Path dataDir) {
        this.pg = pg;
        this.dataDir = dataDir;
    }

    /** A throw-away server on a free port with a fresh data dir under {@code rotor.local.dir}. */
    public static EmbeddedPostgres start() {
        return start(0, null);
    }

    /**
     * Starts on {@code port} (0 = free) over {@code dataDir}; null gives a fresh dir. A given dir is kept on close
     * and reused on the next start, so data survives restarts.
     */
    public static EmbeddedPostgres start(int port, Path dataDir) {
        int actualPort = LocalDirs.requireFreePort(port);
        Path dir = dataDir != null ? dataDir.toAbsolutePath() : LocalDirs.freshDir("pg-");
        try {
            var pg = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                    .setPort(actualPort)
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(dataDir == null)
                    .setServerConfig("listen_addresses", LocalDirs.HOST)
                    .setServerConfig("max_connections", "300")
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setPgBinaryResolver(EmbeddedPostgres::binaries)
                    .start();
            return new EmbeddedPostgres(pg, dir);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("PostgreSQL did not start on " + LocalDirs.HOST + ":" + actualPort + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * The linux-amd64 binaries archive, found once. zonky's own resolver scans every class loader it can see, and in a
     * JVM that already ran a {@code @QuarkusTest} it sees the same jar twice and refuses ("Duplicate embedded postgres
     * binaries"); any copy is the same archive, so take the first.
     */
    private static InputStream binaries(String system, String machine) throws IOException {
        String arch = machine.toLowerCase(Locale.ROOT).equals("amd64") ? "x86_64" : machine.toLowerCase(Locale.ROOT);
        String name = "postgres-" + system.toLowerCase(Locale.ROOT) + "-" + arch + ".txz";
        URL url = EmbeddedPostgres.class.getClassLoader().getResource(name);
        if (url == null) {
            throw new IOException("no " + name + " on the class path: only the linux-amd64 binaries are bundled");
        }
        return url.openStream();
    }

    public int port() {
        return pg.getPort();
    }

    public Path dataDir() {
        return dataDir;
    }

    /** {@code jdbc:postgresql://127.0.0.1:PORT/database} (credentials separate: {@link #USER}). */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + LocalDirs.HOST + ":" + port() + "/" + database;
    }

    /** {@code postgresql://127.0.0.1:PORT/database}, the form {@code quarkus.datasource.reactive.url} takes. */
    public String reactiveUrl(String database) {
        return "postgresql://" + LocalDirs.HOST + ":" + port() + "/" + database;
    }

    /** Creates {@code name} unless it exists; safe to call from every test class. */
    public boolean createDatabase(String name) {
        return PgDatabases.create(jdbcUrl("postgres"), USER, PASSWORD, name);
    }

    /** Stops the server (fast shutdown); the data dir stays when one was given to {@link #start(int, Path)}. */
    @Override
    public void close() {
        try {
            pg.close();
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not stop cleanly", e);
        }
    }
}

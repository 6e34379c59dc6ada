package dev.rotor.local;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Gives every {@code @QuarkusTest} a real PostgreSQL: one server per JVM, one database per service (init arg
 * {@code database}, default {@code rotor}).
 *
 * <p>Why one server: it starts in 1–2 s but every test class paying that adds up; databases keep services apart.
 * Precedence: env {@code ROTOR_TEST_PG_URL} (plus optional {@code ROTOR_TEST_PG_USER}/{@code _PASSWORD}, default
 * postgres/postgres; nothing started, the database is created there), then {@code -Dcontainers}
 * ({@code postgres:15-alpine}, Docker required), else {@link EmbeddedPostgres}. A shutdown hook stops it.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    /** Set once the JVM has a server, so a resource loaded again by another Quarkus class loader reuses it. */
    static final String JVM_SERVER_PROPERTY = "rotor.local.pg.url";
    static final String IMAGE = System.getProperty("rotor.postgres.image", "postgres:15-alpine");
    public static final String DEFAULT_DATABASE = "rotor";

    private static EmbeddedPostgres embedded;
    private String database = DEFAULT_DATABASE;

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.getOrDefault("database", DEFAULT_DATABASE);
    }

    @Override
    public Map<String, String> start() {
        PgServer pg = server();
        pg.createDatabase(database);
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.datasource.jdbc.url", pg.jdbcUrl(database));
        config.put("quarkus.datasource.reactive.url", pg.reactiveUrl(database));
        config.put("quarkus.datasource.username", pg.user());
        config.put("quarkus.datasource.password", pg.password());
        return config;
    }

    @Override
    public void stop() {
        // Shared for the whole JVM; the shutdown hook stops it.
    }

    /** Creates {@code database} if needed and returns its JDBC URL (credentials: {@link #server()}). */
    public static String jdbcUrl(String database) {
        PgServer pg = server();
        pg.createDatabase(database);
        return pg.jdbcUrl(database);
    }

    /** The embedded server when this JVM started one (null for the env override or containers). */
    public static synchronized EmbeddedPostgres embedded() {
        server();
        return embedded;
    }

    /** This JVM's server (host, port, user, password), starting it on first use. */
    public static synchronized PgServer server() {
        String running = System.getProperty(JVM_SERVER_PROPERTY);
        if (running != null) {
            return PgServer.parse(running, EmbeddedPostgres.USER, EmbeddedPostgres.PASSWORD);
        }
        PgServer pg = external();
        if (pg == null) {
            pg = Containers.requested() ? startContainer() : startEmbedded();
        }
        System.setProperty(JVM_SERVER_PROPERTY, pg.toUrlWithCredentials());
        return pg;
    }

    private static PgServer external() {
        String url = System.getenv("ROTOR_TEST_PG_URL");
        if (url == null || url.isBlank()) {
            return null;
        }
        return PgServer.parse(url.trim(), envOr("ROTOR_TEST_PG_USER", "postgres"),
                envOr("ROTOR_TEST_PG_PASSWORD", "postgres"));
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static PgServer startEmbedded() {
        embedded = EmbeddedPostgres.start();
        Runtime.getRuntime().addShutdownHook(new Thread(embedded::close, "rotor-postgres-stop"));
        return new PgServer(LocalDirs.HOST, embedded.port(), EmbeddedPostgres.USER, EmbeddedPostgres.PASSWORD,
                "postgres", "");
    }

    private static PgServer startContainer() {
        Containers.requireDocker();
        var pg = new org.testcontainers.postgresql.PostgreSQLContainer(IMAGE)
                .withDatabaseName("postgres").withUsername("postgres").withPassword("postgres");
        pg.start();
        Runtime.getRuntime().addShutdownHook(new Thread(pg::stop, "rotor-postgres-container-stop"));
        return new PgServer(pg.getHost(), pg.getMappedPort(5432), pg.getUsername(), pg.getPassword(), "postgres", "");
    }
}

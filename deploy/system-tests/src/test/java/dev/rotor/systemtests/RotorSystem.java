package dev.rotor.systemtests;

import dev.rotor.local.KafkaResource;
import dev.rotor.local.auth.LocalAuth;
import dev.rotor.local.PgServer;
import dev.rotor.local.PostgresResource;
import dev.rotor.local.SigningKeyFiles;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The whole system for a test: the embedded broker and PostgreSQL in this JVM (or the ones named by
 * {@code ROTOR_TEST_KAFKA} / {@code ROTOR_TEST_PG_URL}), and the four services as separate processes. On the embedded
 * broker each service authenticates as its own principal, with only its own ACLs, as under {@code deploy/rotor up}.
 */
final class RotorSystem implements AutoCloseable {
    static final List<String> SERVICES = List.of("orchestrator", "secret-sync", "notifier", "reencrypt-worker");

    final Path home;
    final Path logs;
    final LocalAuth auth;
    final String bootstrap;
    final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    /** The orchestrators' database, for tests that check its bookkeeping tables (outbox, timers) directly. */
    final String jdbcUrl;
    final String dbUser;
    final String dbPassword;

    RotorSystem(Path home, Path catalog, Map<String, String> extraEnv) throws Exception {
        this(home, catalog, extraEnv, 1);
    }

    /**
     * The same with {@code orchestrators} orchestrator processes on the one database and broker (the same consumer
     * groups), each on its own HTTP port: {@code orchestrator}, then {@code orchestrator-2}, ... All start at once,
     * as replicas of one Deployment do.
     */
    RotorSystem(Path home, Path catalog, Map<String, String> extraEnv, int orchestrators) throws Exception {
        this(home, catalog, extraEnv, orchestrators, 1);
    }

    /**
     * The same with {@code workers} reencrypt-worker processes too ({@code reencrypt-worker}, then
     * {@code reencrypt-worker-2}, ...), in the same consumer groups, as replicas that share online jobs' chunks.
     */
    RotorSystem(Path home, Path catalog, Map<String, String> extraEnv, int orchestrators, int workers)
            throws Exception {
        this(home, catalog, extraEnv, orchestrators, workers, 1);
    }

    /**
     * The same with {@code syncs} secret-sync processes ({@code secret-sync}, then {@code secret-sync-2}, ...) in one
     * consumer group, as replicas on a shared store (Vault). Each later one has a {@code ROTOR_HOME} of its own,
     * {@code <home>/<name>}, as a pod has its own disk: the local keystore's file lock admits one process per home.
     */
    RotorSystem(Path home, Path catalog, Map<String, String> extraEnv, int orchestrators, int workers, int syncs)
            throws Exception {
        this.home = home;
        this.logs = logDir();
        // The local issuer, as `deploy/rotor up` makes it: the services trust $ROTOR_HOME/auth/jwks.json by default.
        this.auth = LocalAuth.open(home.resolve("auth"));
        this.bootstrap = KafkaResource.bootstrapServers();
        PgServer pg = PostgresResource.server();
        String database = "orchestrator_" + Long.toHexString(System.nanoTime());
        pg.createDatabase(database);
        this.jdbcUrl = pg.jdbcUrl(database);
        this.dbUser = pg.user();
        this.dbPassword = pg.password();
        Path repo = Path.of("../..").toAbsolutePath().normalize();

        Map<String, String> env = new HashMap<>(extraEnv);
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        env.put("ROTOR_CATALOG", catalog.toString());
        env.put("ROTOR_HOME", home.toString());
        env.put("QUARKUS_DATASOURCE_JDBC_URL", pg.jdbcUrl(database));
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", pg.reactiveUrl(database));
        env.put("QUARKUS_DATASOURCE_USERNAME", pg.user());
        env.put("QUARKUS_DATASOURCE_PASSWORD", pg.password());
        // As deploy/rotor up: the command and bridge key pairs under the home, the services told where.
        env.putAll(SigningKeyFiles.ensure(home.resolve("auth")).environment());
        Map<String, Integer> ports = new HashMap<>();
        for (String service : SERVICES) {
            ports.put(service, freePort());
        }
        env.put("ROTOR_ORCHESTRATOR_PORT", ports.get("orchestrator").toString());
        env.put("ROTOR_SECRET_SYNC_PORT", ports.get("secret-sync").toString());
        env.put("ROTOR_NOTIFIER_PORT", ports.get("notifier").toString());
        env.put("ROTOR_REENCRYPT_PORT", ports.get("reencrypt-worker").toString());
        for (String service : SERVICES) {
            Map<String, String> own = new HashMap<>(env);
            own.putAll(kafkaEnv(service));
            services.put(service, new ServiceProcess(service, repo, ports.get(service), logs, own));
            for (int n = 2; service.equals("orchestrator") && n <= orchestrators; n++) {
                int port = freePort();
                Map<String, String> instance = new HashMap<>(own);
                instance.put("ROTOR_ORCHESTRATOR_PORT", String.valueOf(port));
                services.put("orchestrator-" + n, new ServiceProcess("orchestrator-" + n, service, repo, port, logs,
                        instance));
            }
            for (int n = 2; service.equals("secret-sync") && n <= syncs; n++) {
                int port = freePort();
                Map<String, String> instance = new HashMap<>(own);
                instance.put("ROTOR_SECRET_SYNC_PORT", String.valueOf(port));
                instance.put("ROTOR_HOME", Files.createDirectories(home.resolve("secret-sync-" + n)).toString());
                instance.put("ROTOR_AUTH_JWKS", "file:" + home.resolve("auth/jwks.json"));
                services.put("secret-sync-" + n, new ServiceProcess("secret-sync-" + n, service, repo, port, logs,
                        instance));
            }
            for (int n = 2; service.equals("reencrypt-worker") && n <= workers; n++) {
                int port = freePort();
                Map<String, String> instance = new HashMap<>(own);
                instance.put("ROTOR_REENCRYPT_PORT", String.valueOf(port));
                services.put("reencrypt-worker-" + n, new ServiceProcess("reencrypt-worker-" + n, service, repo, port,
                        logs, instance));
            }
        }
        try {
            for (ServiceProcess s : services.values()) {
                s.start();
            }
            for (ServiceProcess s : services.values()) {
                s.awaitReady(Duration.ofSeconds(120));
            }
        } catch (Throwable failed) {
            // A system that did not come up is stopped whole: services left running would stay in the consumer
            // groups of every later class in this test JVM, taking their commands with keys that are not theirs.
            try {
                close();
            } catch (Exception closing) {
                failed.addSuppressed(closing);
            }
            throw failed;
        }
    }

    ServiceProcess service(String name) {
        return services.get(name);
    }

    /** Every line every service logged so far. */
    String allLogs() throws IOException {
        StringBuilder all = new StringBuilder();
        for (ServiceProcess s : services.values()) {
            all.append(s.logText());
        }
        return all.toString();
    }

    @Override
    public void close() throws Exception {
        // All at once, as a Deployment's pods are stopped: each service's graceful shutdown (leaving its consumer
        // groups, closing its producers) takes seconds, and one after another they took most of a test class's time.
        for (ServiceProcess s : services.values()) {
            s.stop();
        }
        for (ServiceProcess s : services.values()) {
            s.close();
        }
    }

    /**
     * A service's Kafka principal as environment variables (Quarkus maps {@code KAFKA_SASL_JAAS_CONFIG} to
     * {@code kafka.sasl.jaas.config}), never as arguments; nothing beyond the bootstrap for an external broker.
     */
    static Map<String, String> kafkaEnv(String service) {
        Map<String, String> env = new HashMap<>();
        KafkaResource.clientConfig(service).forEach((key, value) -> env.put(
                "KAFKA_" + key.toUpperCase(java.util.Locale.ROOT).replace('.', '_'), String.valueOf(value)));
        return env;
    }

    /**
     * A directory for the services' logs that outlives the test's temporary home, for reading after a failed build:
     * {@code target/service-logs/<test class>-<n>/}.
     */
    static Path logDir() throws IOException {
        String caller = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).walk(frames -> frames
                .map(f -> f.getDeclaringClass())
                .filter(c -> c != RotorSystem.class && c != ServiceProcess.class)
                .map(Class::getSimpleName).findFirst().orElse("system"));
        return Files.createDirectories(Path.of("target", "service-logs",
                caller + "-" + LOG_DIRS.incrementAndGet()).toAbsolutePath());
    }

    private static final AtomicInteger LOG_DIRS = new AtomicInteger();

    /**
     * A port that is free now, for a service to bind seconds later. Not one the kernel hands out itself
     * ({@code new ServerSocket(0)} does, from the ephemeral range): every outgoing connection of every Kafka client on
     * the machine takes a port from that range too, and one taken between this call and the service's bind made it
     * exit at start. These come from below the ephemeral range (32768 on Linux), from a block of this test JVM's own,
     * so two forks never pick the same one either.
     */
    static int freePort() throws IOException {
        int base = PortBlock.BASE;
        for (int tries = 0; tries < PortBlock.SIZE; tries++) {
            int port = base + Math.floorMod(NEXT_PORT.getAndIncrement(), PortBlock.SIZE);
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(port));
                return port;
            } catch (IOException taken) {
                // in use: the next one
            }
        }
        throw new IOException("no free port in " + base + ".." + (base + PortBlock.SIZE - 1));
    }

    /**
     * This JVM's block of ports: the first of four whose lock file ({@code java.io.tmpdir/rotor-test-ports-N.lock})
     * it can lock, held until it exits. Surefire's forks of one build, and of two builds at once, each get their own.
     */
    private static final class PortBlock {
        static final int SIZE = 2500;
        static final int BASE = 20000 + SIZE * claim();
        @SuppressWarnings("unused")
        private static java.nio.channels.FileLock held;

        private static int claim() {
            for (int block = 0; block < 4; block++) {
                try {
                    java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(
                            Path.of(System.getProperty("java.io.tmpdir"), "rotor-test-ports-" + block + ".lock"),
                            java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
                    java.nio.channels.FileLock lock = channel.tryLock();
                    if (lock != null) {
                        held = lock;
                        return block;
                    }
                    channel.close();
                } catch (IOException | java.nio.channels.OverlappingFileLockException unusable) {
                    // the next block
                }
            }
            return 3; // more than four test JVMs at once: share the last block, the bind check still applies
        }
    }

    private static final AtomicInteger NEXT_PORT = new AtomicInteger();
}

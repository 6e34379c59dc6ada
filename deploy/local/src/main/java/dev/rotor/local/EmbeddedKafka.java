package dev.rotor.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A one-node KRaft Kafka broker running inside this JVM.
 *
 * <p>Why in-process: there is no Docker engine where Rotor's tests must pass, and a real broker (not the
 * in-memory connector) is what catches serialisation, partitioning and consumer-group bugs. Starting takes ~2 s,
 * a restart on the same data dir ~0.3 s, which also lets fault tests stop and restart the broker.
 */
public final class EmbeddedKafka implements AutoCloseable {

    static {
        QuietLogs.apply();
    }

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaRaftServer server;
    private final int port;
    private final Path dataDir;
    private final KafkaCredentials credentials;
    private boolean closed;

    private EmbeddedKafka(KafkaRaftServer server, int port, Path dataDir, KafkaCredentials credentials) {
        this.server = server;
        this.port = port;
        this.dataDir = dataDir;
        this.credentials = credentials;
    }

    /** Starts a broker on a free port with a fresh data dir under {@code rotor.local.dir} and fresh passwords. */
    public static EmbeddedKafka start() {
        return start(0, null, KafkaCredentials.random());
    }

    /**
     * Starts a broker on {@code port} (0 = a free port) over {@code dataDir} (null = a fresh dir), with SASL/SCRAM and
     * the ACLs of {@link KafkaPrincipals}. An existing, already formatted dir is reused as is, so {@code close()} then
     * {@code start(k.port(), k.dataDir(), k.credentials())} brings the same cluster, topics and records back. The super
     * user's password is fixed when the dir is formatted; the services' passwords are set again at every start.
     */
    public static EmbeddedKafka start(int port, Path dataDir, KafkaCredentials credentials) {
        int brokerPort = LocalDirs.requireFreePort(port);
        int controllerPort = LocalDirs.freePort();
        Path dir = dataDir != null ? dataDir.toAbsolutePath() : LocalDirs.freshDir("kafka-");
        Properties props = KafkaBrokerProps.of(brokerPort, controllerPort, dir, credentials);
        try {
            Files.createDirectories(dir);
            if (!Files.exists(dir.resolve("meta.properties"))) {
                format(dir, credentials);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot format Kafka data dir " + dir + ": " + e.getMessage(), e);
        }
        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
        EmbeddedKafka kafka = new EmbeddedKafka(server, brokerPort, dir, credentials);
        try {
            server.startup();
            kafka.awaitReady();
            KafkaProvisioning.apply(kafka.adminConfig(), credentials);
        } catch (RuntimeException e) {
            kafka.close();
            throw new IllegalStateException("Kafka did not start on " + LocalDirs.HOST + ":" + brokerPort + ": "
                    + e.getMessage(), e);
        }
        return kafka;
    }

    /** The super user's SCRAM credential is written into the metadata here, as {@code kafka-storage format --add-scram}. */
    private static void format(Path dir, KafkaCredentials credentials) throws Exception {
        new Formatter()
                .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                .setClusterId(Uuid.randomUuid().toString())
                .setNodeId(KafkaBrokerProps.NODE_ID)
                .setControllerListenerName(KafkaBrokerProps.CONTROLLER_LISTENER)
                .setMetadataLogDirectory(dir.toString())
                .addDirectory(dir.toString())
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .setScramArguments(List.of(KafkaCredentials.MECHANISM + "=[name=" + KafkaPrincipals.ADMIN
                        + ",password=" + credentials.password(KafkaPrincipals.ADMIN) + "]"))
                .run();
    }

    /** Blocks until the broker answers metadata requests and lists itself, so callers can produce at once. */
    private void awaitReady() {
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        try (Admin admin = Admin.create(adminConfig())) {
            RuntimeException last = null;
            while (Instant.now().isBefore(deadline)) {
                try {
                    if (admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).stream()
                            .anyMatch(n -> n.id() == KafkaBrokerProps.NODE_ID)) {
                        return;
                    }
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof SaslAuthenticationException) {
                        throw new IllegalStateException("the broker refused the super user's password: " + dataDir
                                + " was formatted with other credentials (or before Kafka authentication); remove it"
                                + " to start afresh", e.getCause());
                    }
                    last = new IllegalStateException(e.getMessage(), e);
                } catch (TimeoutException e) {
                    last = new IllegalStateException(e.getMessage(), e);
                }
                Thread.sleep(50);
            }
            throw last != null ? last : new IllegalStateException("broker not visible after " + READY_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka", e);
        }
    }

    /** The super user's client settings, for provisioning and for tests that administer the broker. */
    public Map<String, Object> adminConfig() {
        Map<String, Object> conf = new HashMap<>(clientConfig(KafkaPrincipals.ADMIN));
        conf.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        conf.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
        return conf;
    }

    /** The standard client properties of one principal of {@link KafkaPrincipals#ALL} on this broker. */
    public Map<String, Object> clientConfig(String principal) {
        return credentials.clientConfig(bootstrapServers(), principal);
    }

    public KafkaCredentials credentials() {
        return credentials;
    }

    /** {@code 127.0.0.1:PORT}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return LocalDirs.HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Stops the broker and waits for it; the data dir stays, ready for a restart. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.shutdown();
        server.awaitShutdown();
    }
}

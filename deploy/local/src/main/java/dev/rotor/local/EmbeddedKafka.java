package dev.rotor.local;

import dev.rotor.contracts.messages.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
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
    private boolean closed;

    private EmbeddedKafka(KafkaRaftServer server, int port, Path dataDir) {
        this.server = server;
        this.port = port;
        this.dataDir = dataDir;
    }

    /** Starts a broker on a free port with a fresh data dir under {@code rotor.local.dir}. */
    public static EmbeddedKafka start() {
        return start(0, null);
    }

    /**
     * Starts a broker on {@code port} (0 = a free port) over {@code dataDir} (null = a fresh dir). An existing,
     * already formatted dir is reused as is, so {@code close()} then {@code start(k.port(), k.dataDir())} brings
     * the same cluster, topics and records back.
     */
    public static EmbeddedKafka start(int port, Path dataDir) {
        int brokerPort = LocalDirs.requireFreePort(port);
        int controllerPort = LocalDirs.freePort();
        Path dir = dataDir != null ? dataDir.toAbsolutePath() : LocalDirs.freshDir("kafka-");
        Properties props = KafkaBrokerProps.of(brokerPort, controllerPort, dir);
        try {
            Files.createDirectories(dir);
            if (!Files.exists(dir.resolve("meta.properties"))) {
                format(dir);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot format Kafka data dir " + dir + ": " + e.getMessage(), e);
        }
        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
        EmbeddedKafka kafka = new EmbeddedKafka(server, brokerPort, dir);
        try {
            server.startup();
            kafka.awaitReady();
            kafka.createRotorTopics();
        } catch (RuntimeException e) {
            kafka.close();
            throw new IllegalStateException("Kafka did not start on " + LocalDirs.HOST + ":" + brokerPort + ": "
                    + e.getMessage(), e);
        }
        return kafka;
    }

    private static void format(Path dir) throws Exception {
        new Formatter()
                .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                .setClusterId(Uuid.randomUuid().toString())
                .setNodeId(KafkaBrokerProps.NODE_ID)
                .setControllerListenerName(KafkaBrokerProps.CONTROLLER_LISTENER)
                .setMetadataLogDirectory(dir.toString())
                .addDirectory(dir.toString())
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .run();
    }

    /** Blocks until the broker answers metadata requests and lists itself, so callers can produce at once. */
    private void awaitReady() {
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        Map<String, Object> conf = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        try (Admin admin = Admin.create(conf)) {
            RuntimeException last = null;
            while (Instant.now().isBefore(deadline)) {
                try {
                    if (admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).stream()
                            .anyMatch(n -> n.id() == KafkaBrokerProps.NODE_ID)) {
                        return;
                    }
                } catch (Exception e) {
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

    /**
     * Creates Rotor's topics (broker defaults: {@code num.partitions}, one replica) unless they exist, so services that
     * start before anything was published get their partitions at their first group join rather than at a later
     * metadata refresh. Dead-letter topics are left to be created on first use.
     */
    private void createRotorTopics() {
        Map<String, Object> conf = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
        try (Admin admin = Admin.create(conf)) {
            Set<String> existing = admin.listTopics().names().get(10, TimeUnit.SECONDS);
            List<NewTopic> missing = Stream.of(Topics.ROTATIONS, Topics.STEP_COMMANDS, Topics.STEP_RESULTS,
                            Topics.ROTATION_REQUESTS)
                    .filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, Optional.empty(), Optional.empty())).toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating Rotor's topics", e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create Rotor's topics: " + e.getMessage(), e);
        }
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

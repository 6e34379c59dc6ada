package dev.rotor.local;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Gives every {@code @QuarkusTest} a real Kafka broker: one per JVM, shared by all test classes.
 *
 * <p>The embedded broker requires SASL/SCRAM and enforces the ACLs of {@link KafkaPrincipals}; the application under
 * test connects as the super user, so a test may drive any topic, and {@link #clientConfig()} gives plain test
 * clients the same settings. The system tests run each service as its own principal instead
 * ({@link #clientConfig(String)}).
 *
 * <p>Why shared: a broker costs ~2 s and ~175 MB; one per test class would dominate the suite. It is never
 * stopped between classes (topics and groups are named per test instead) and is closed by a shutdown hook.
 * Precedence: env {@code ROTOR_TEST_KAFKA} (an external bootstrap, nothing started), then {@code -Dcontainers}
 * (Testcontainers, Docker required), else the in-process {@link EmbeddedKafka}.
 */
public class KafkaResource implements QuarkusTestResourceLifecycleManager {

    /** Set once the JVM has a broker, so a resource loaded again by another Quarkus class loader reuses it. */
    static final String JVM_BOOTSTRAP_PROPERTY = "rotor.local.kafka.bootstrap";
    /** The dir of the embedded broker's password files (never the passwords), for the same reason. */
    static final String JVM_CREDENTIALS_PROPERTY = "rotor.local.kafka.credentials";
    static final String IMAGE = System.getProperty("rotor.kafka.image", "apache/kafka:4.1.0");

    private static EmbeddedKafka embedded;

    @Override
    public Map<String, String> start() {
        String bootstrap = bootstrapServers();
        Map<String, String> config = new HashMap<>();
        clientConfig().forEach((k, v) -> config.put("kafka." + k, String.valueOf(v)));
        config.put("mp.messaging.connector.smallrye-kafka.bootstrap.servers", bootstrap);
        return config;
    }

    /** The super user's client properties (only {@code bootstrap.servers} for an external or container broker). */
    public static Map<String, Object> clientConfig() {
        return clientConfig(KafkaPrincipals.ADMIN);
    }

    /** One principal's client properties on the embedded broker; only {@code bootstrap.servers} otherwise. */
    public static synchronized Map<String, Object> clientConfig(String principal) {
        String bootstrap = bootstrapServers();
        String credentials = System.getProperty(JVM_CREDENTIALS_PROPERTY);
        return credentials == null ? Map.of("bootstrap.servers", bootstrap)
                : KafkaCredentials.loadOrCreate(Path.of(credentials)).clientConfig(bootstrap, principal);
    }

    @Override
    public void stop() {
        // Shared for the whole JVM; the shutdown hook stops it.
    }

    /** The bootstrap of this JVM's broker, starting it on first use. Tests may call it directly. */
    public static synchronized String bootstrapServers() {
        String external = System.getenv("ROTOR_TEST_KAFKA");
        if (external != null && !external.isBlank()) {
            return external.trim();
        }
        String running = System.getProperty(JVM_BOOTSTRAP_PROPERTY);
        if (running != null) {
            return running;
        }
        String bootstrap = Containers.requested() ? startContainer() : startEmbedded();
        System.setProperty(JVM_BOOTSTRAP_PROPERTY, bootstrap);
        return bootstrap;
    }

    /**
     * The embedded broker, for fault tests that stop and restart it ({@code close()} then
     * {@code EmbeddedKafka.start(k.port(), k.dataDir(), k.credentials())}, then {@link #replaceEmbedded}); null when external.
     */
    public static synchronized EmbeddedKafka embedded() {
        bootstrapServers();
        return embedded;
    }

    /** Registers a restarted broker so the shutdown hook closes the right instance. */
    public static synchronized void replaceEmbedded(EmbeddedKafka restarted) {
        embedded = restarted;
    }

    private static String startEmbedded() {
        Path credentials = LocalDirs.freshDir("kafka-credentials-");
        embedded = EmbeddedKafka.start(0, null, KafkaCredentials.loadOrCreate(credentials));
        System.setProperty(JVM_CREDENTIALS_PROPERTY, credentials.toString());
        Runtime.getRuntime().addShutdownHook(new Thread(KafkaResource::closeEmbedded, "rotor-kafka-stop"));
        return embedded.bootstrapServers();
    }

    private static synchronized void closeEmbedded() {
        if (embedded != null) {
            embedded.close();
        }
    }

    private static String startContainer() {
        Containers.requireDocker();
        var kafka = new org.testcontainers.kafka.KafkaContainer(IMAGE);
        kafka.start();
        Runtime.getRuntime().addShutdownHook(new Thread(kafka::stop, "rotor-kafka-container-stop"));
        return kafka.getBootstrapServers();
    }
}

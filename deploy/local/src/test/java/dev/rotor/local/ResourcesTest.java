package dev.rotor.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The Quarkus test resources' config keys, the env override parsing, and the -Dcontainers guard. */
class ResourcesTest {

    @Test
    void dockerGuardFailsFastWithOneClearLine() {
        assertThatThrownBy(() -> Containers.requireDocker(() -> false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("-Dcontainers was given but no Docker engine is reachable; "
                        + "drop -Dcontainers to use the embedded broker");
        assertThatThrownBy(() -> Containers.requireDocker(() -> {
            throw new RuntimeException("boom");
        })).hasMessage(Containers.NO_DOCKER);
    }

    @Test
    void realDockerProbeAnswersQuicklyHere() {
        long start = System.nanoTime();
        boolean available;
        try {
            Containers.requireDocker();
            available = true;
        } catch (IllegalStateException e) {
            assertThat(e).hasMessage(Containers.NO_DOCKER);
            available = false;
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(25));
        System.out.println("docker available: " + available);
    }

    @Test
    void containersFlagWithoutDockerMakesResourcesFailFast() {
        assumeTrue(System.getenv("ROTOR_TEST_KAFKA") == null && System.getenv("ROTOR_TEST_PG_URL") == null);
        assumeTrue(!org.testcontainers.DockerClientFactory.instance().isDockerAvailable(), "Docker is here");
        // Forget any server another test in this JVM already started, so the resources take the containers path.
        String kafka = System.clearProperty(KafkaResource.JVM_BOOTSTRAP_PROPERTY);
        String pg = System.clearProperty(PostgresResource.JVM_SERVER_PROPERTY);
        System.setProperty("containers", "");
        try {
            long start = System.nanoTime();
            assertThatThrownBy(() -> new KafkaResource().start()).hasMessage(Containers.NO_DOCKER);
            assertThatThrownBy(() -> new PostgresResource().start()).hasMessage(Containers.NO_DOCKER);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(25));
        } finally {
            System.clearProperty("containers");
            restore(KafkaResource.JVM_BOOTSTRAP_PROPERTY, kafka);
            restore(PostgresResource.JVM_SERVER_PROPERTY, pg);
        }
    }

    private static void restore(String key, String value) {
        if (value != null) {
            System.setProperty(key, value);
        }
    }

    @Test
    void resourcesReturnTheDocumentedKeysAndShareOneServer() {
        assumeTrue(System.getenv("ROTOR_TEST_KAFKA") == null && System.getenv("ROTOR_TEST_PG_URL") == null);
        Map<String, String> kafka = new KafkaResource().start();
        assertThat(kafka).containsOnlyKeys("kafka.bootstrap.servers",
                "mp.messaging.connector.smallrye-kafka.bootstrap.servers", "kafka.security.protocol",
                "kafka.sasl.mechanism", "kafka.sasl.jaas.config")
                .containsEntry("kafka.security.protocol", "SASL_PLAINTEXT")
                .containsEntry("kafka.sasl.mechanism", "SCRAM-SHA-512");
        assertThat(kafka.get("kafka.sasl.jaas.config"))
                .startsWith("org.apache.kafka.common.security.scram.ScramLoginModule required username=\"admin\"");
        assertThat(new KafkaResource().start()).isEqualTo(kafka);
        assertThat(KafkaResource.bootstrapServers()).isEqualTo(kafka.get("kafka.bootstrap.servers"));

        PostgresResource pgResource = new PostgresResource();
        pgResource.init(Map.of("database", "secret_sync"));
        Map<String, String> pg = pgResource.start();
        int port = PostgresResource.server().port();
        assertThat(pg).containsEntry("quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:" + port + "/secret_sync")
                .containsEntry("quarkus.datasource.reactive.url", "postgresql://127.0.0.1:" + port + "/secret_sync")
                .containsEntry("quarkus.datasource.username", "postgres")
                .containsEntry("quarkus.datasource.password", "postgres");
        assertThat(PostgresResource.jdbcUrl("notifier")).isEqualTo("jdbc:postgresql://127.0.0.1:" + port + "/notifier");
    }

    @Test
    void parsesOverrideUrl() {
        PgServer s = PgServer.parse("jdbc:postgresql://db.local:6543/admin?user=rotor&password=p%26w&sslmode=disable",
                "postgres", "postgres");
        assertThat(s).isEqualTo(new PgServer("db.local", 6543, "rotor", "p&w", "admin", "sslmode=disable"));
        assertThat(s.jdbcUrl("x")).isEqualTo("jdbc:postgresql://db.local:6543/x?sslmode=disable");
        assertThat(PgServer.parse(s.toUrlWithCredentials(), "a", "b")).isEqualTo(s);
        assertThat(PgServer.parse("jdbc:postgresql://h/", "u", "p")).isEqualTo(new PgServer("h", 5432, "u", "p",
                "postgres", ""));
    }
}

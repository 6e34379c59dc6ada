package dev.rotor.systemtests;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.rotor.contracts.messages.CloudEvents;
import dev.rotor.contracts.messages.KafkaEnvelope;
import dev.rotor.contracts.messages.RotationRequested;
import dev.rotor.contracts.messages.Topics;
import dev.rotor.contracts.messages.Trigger;
import dev.rotor.local.KafkaResource;
import dev.rotor.local.PgServer;
import dev.rotor.local.PostgresResource;
import dev.rotor.local.SigningKeyFiles;
import dev.rotor.local.auth.LocalAuth;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two notifier processes in one consumer group on the real broker and one PostgreSQL, as the manifests' two replicas
 * run. Milestones of 60 rotations are published to {@code rotor.rotations}, 20 before, 20 while and 20 after one
 * notifier is stopped: its partitions move to the other (a rebalance mid-stream), which reads again what the stopped
 * one had not committed, and takes over any claim it left unfinished. The first 20 records are then published again,
 * byte for byte (as a relay that died after the broker's ack sends its batch again): the survivor reads them on the
 * partitions it took over, and must send none, although the stopped replica delivered many of them. The webhook
 * (WireMock) must receive every milestone exactly once, counted by CloudEvent id, and both replicas must have claimed
 * some.
 */
class NotifierReplicasSystemTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MILESTONES = 60;
    /** The notifiers' consumer group (notifier/application.properties). */
    private static final String GROUP = "rotor-notifier.rotations";

    @TempDir
    Path home;

    @Test
    void twoReplicasOneStoppedMidStreamDeliverEachMilestoneExactlyOnce() throws Exception {
        WireMockServer hook = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        hook.start();
        hook.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(200)));
        PgServer pg = PostgresResource.server();
        String database = "notifiers_" + Long.toHexString(System.nanoTime());
        pg.createDatabase(database);
        Path env = Files.writeString(home.resolve("app.env"), "SECRET=\n");
        Path catalog = Files.writeString(home.resolve("catalog.yaml"), """
                secrets:
                  - id: replicated-secret
                    kind: signing-key
                    strategy: dual-key
                    generator: { type: hex, bytes: 32 }
                    store: { type: local, path: app/replicated-secret }
                    targets:
                      - { type: env-file, path: "%s", variable: SECRET }
                    notify: [ audit-hook ]
                notify:
                  channels:
                    audit-hook: { type: webhook, url: "%s" }
                """.formatted(env, hook.baseUrl() + "/hook"));
        LocalAuth.open(home.resolve("auth"));
        Map<String, String> common = new HashMap<>(RotorSystem.kafkaEnv("notifier"));
        common.put("KAFKA_BOOTSTRAP_SERVERS", KafkaResource.bootstrapServers());
        common.put("ROTOR_CATALOG", catalog.toString());
        common.put("ROTOR_HOME", home.toString());
        common.put("QUARKUS_DATASOURCE_JDBC_URL", pg.jdbcUrl(database));
        common.put("QUARKUS_DATASOURCE_USERNAME", pg.user());
        common.put("QUARKUS_DATASOURCE_PASSWORD", pg.password());
        common.putAll(SigningKeyFiles.ensure(home.resolve("auth")).environment());
        // The stopped replica's partitions move within seconds; its unfinished claims run out after 5 s.
        common.put("KAFKA_SESSION_TIMEOUT_MS", "6000");
        common.put("KAFKA_HEARTBEAT_INTERVAL_MS", "2000");
        common.put("ROTOR_NOTIFIER_DELIVERY_LEASE", "5s");
        common.put("ROTOR_NOTIFIER_DELIVERY_SWEEP_INTERVAL", "1s");
        Path repo = Path.of("../..").toAbsolutePath().normalize();
        Path logs = RotorSystem.logDir();
        List<ServiceProcess> notifiers = new ArrayList<>();
        for (String name : List.of("notifier-1", "notifier-2")) {
            int port = RotorSystem.freePort();
            Map<String, String> own = new HashMap<>(common);
            own.put("ROTOR_NOTIFIER_PORT", String.valueOf(port));
            notifiers.add(new ServiceProcess(name, "notifier", repo, port, logs, own));
        }
        Set<String> published = new LinkedHashSet<>();
        try (var producer = new KafkaProducer<>(KafkaResource.clientConfig(), new StringSerializer(),
                new ByteArraySerializer())) {
            for (ServiceProcess n : notifiers) {
                n.start();
            }
            for (ServiceProcess n : notifiers) {
                n.awaitReady(Duration.ofSeconds(120));
            }
            // Ready is not yet a member with partitions: on a busy machine the first replica could take every record
            // before the second joins the group. Publish once both hold partitions of the topic.
            try (Admin admin = Admin.create(KafkaResource.clientConfig())) {
                Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                        .until(() -> admin.describeConsumerGroups(List.of(GROUP)).all().get().get(GROUP).members()
                                .stream().filter(m -> !m.assignment().topicPartitions().isEmpty()).count() == 2);
            }
            List<ProducerRecord<String, byte[]>> first = publish(producer, 20, published);
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> hook.getAllServeEvents().size() >= 10);
            Thread stopper = new Thread(() -> {
                try {
                    notifiers.get(0).close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            stopper.start();
            publish(producer, 20, published);
            stopper.join();
            assertThat(distinctOwners(pg.jdbcUrl(database), pg)).as("replicas that claimed deliveries").isEqualTo(2);
            publish(producer, 20, published);
            for (ProducerRecord<String, byte[]> again : first) {
                producer.send(new ProducerRecord<>(again.topic(), null, again.key(), again.value(),
                        new RecordHeaders(again.headers().toArray()))).get();
            }

            Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> receivedIds(hook).size() >= MILESTONES);
            // Longer than a lease and a sweep: a repeat sent by a takeover would have arrived by now.
            Thread.sleep(8000);
            List<String> received = receivedIds(hook);
            assertThat(received).hasSize(MILESTONES).doesNotHaveDuplicates();
            assertThat(Set.copyOf(received)).isEqualTo(published);
            assertThat(notifiers.get(1).logText()).doesNotContain("ERROR");
        } finally {
            for (ServiceProcess n : notifiers) {
                n.close();
            }
            hook.stop();
        }
    }

    private static List<ProducerRecord<String, byte[]>> publish(KafkaProducer<String, byte[]> producer, int count,
            Set<String> published) throws Exception {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            var event = new RotationRequested(UUID.randomUUID(), "replicated-secret", Trigger.MANUAL, "replicas",
                    "dual-key", "alice", Instant.now());
            ProducerRecord<String, byte[]> record = KafkaEnvelope.record(Topics.ROTATIONS, event,
                    "/rotor/orchestrator");
            producer.send(record).get();
            published.add(KafkaEnvelope.header(record.headers(), CloudEvents.ID));
            records.add(record);
            Thread.sleep(50);
        }
        return records;
    }

    /** The CloudEvent id of every POST the webhook received, in arrival order. */
    private static List<String> receivedIds(WireMockServer hook) throws Exception {
        List<ServeEvent> events = new ArrayList<>(hook.getAllServeEvents());
        java.util.Collections.reverse(events);
        List<String> ids = new ArrayList<>();
        for (ServeEvent e : events) {
            JsonNode body = JSON.readTree(e.getRequest().getBodyAsString());
            ids.add(body.get("id").asText());
        }
        return ids;
    }

    private static int distinctOwners(String jdbcUrl, PgServer pg) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl, pg.user(), pg.password());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(DISTINCT owner) FROM notifier.deliveries")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}

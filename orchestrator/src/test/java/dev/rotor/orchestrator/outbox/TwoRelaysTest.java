package dev.rotor.orchestrator.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.contracts.messages.CloudEvents;
import dev.rotor.contracts.messages.KafkaEnvelope;
import dev.rotor.contracts.messages.MessageCodec;
import dev.rotor.contracts.messages.RotationRequested;
import dev.rotor.contracts.messages.Trigger;
import dev.rotor.local.KafkaResource;
import dev.rotor.local.PostgresResource;
import dev.rotor.local.auth.AuthResource;
import dev.rotor.orchestrator.config.OrchestratorConfig;
import dev.rotor.orchestrator.metrics.RotorMetrics;
import dev.rotor.orchestrator.signing.Signing;
import io.agroal.api.AgroalDataSource;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two orchestrator instances on one database: this application's relay and a second relay with its own producer and
 * its own connections, racing on the same outbox rows against the real PostgreSQL and Kafka. Each test writes to a
 * topic of its own, so it sees exactly what the relays sent for its rows.
 */
@QuarkusTest
@QuarkusTestResource(AuthResource.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "orchestrator"))
class TwoRelaysTest {
    private static final String[] KEYS = {"rotation-a", "rotation-b", "rotation-c"};

    @Inject
    AgroalDataSource dataSource;
    @Inject
    OutboxRelay relay;
    @Inject
    OrchestratorConfig config;
    @Inject
    Signing signing;
    @Inject
    RotorMetrics metrics;
    @Inject
    Tracer tracer;
    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    private RelayProducer otherProducer;
    private OutboxRelay other;
    private String topic;

    @BeforeEach
    void secondInstanceAndOwnTopic() throws Exception {
        otherProducer = new RelayProducer();
        otherProducer.kafkaConfig = kafkaConfig;
        other = new OutboxRelay();
        other.dataSource = dataSource;
        other.producer = otherProducer;
        other.config = config;
        other.signing = signing;
        other.metrics = metrics;
        // A row another test left unpublished may carry a trace context, and then the relay opens a span for it.
        other.tracer = tracer;
        topic = "rotor.test.two-relays." + UUID.randomUUID();
        try (Admin admin = Admin.create(KafkaResource.clientConfig())) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
    }

    @AfterEach
    void closeSecondProducer() {
        otherProducer.onStop(null);
    }

    @Test
    void twoRelaysRacingOnTheSameRowsPublishEachOnceInSeqOrder() throws Exception {
        List<UUID> written = insert(3 * OutboxRelay.BATCH + 17); // several batches each

        ExecutorService two = Executors.newFixedThreadPool(2);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (OutboxRelay instance : List.of(relay, other)) {
                running.add(two.submit(() -> {
                    go.await();
                    while (unpublished(written) > 0) {
                        instance.relayBatch();
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : running) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            two.shutdownNow();
        }

        List<ConsumerRecord<String, byte[]>> records = consume(written.size());
        List<UUID> ids = records.stream()
                .map(r -> UUID.fromString(KafkaEnvelope.header(r.headers(), CloudEvents.ID))).toList();
        assertThat(ids).as("every row once, in seq order").containsExactlyElementsOf(written);
        Map<String, List<UUID>> byKey = new LinkedHashMap<>();
        for (int i = 0; i < records.size(); i++) {
            byKey.computeIfAbsent(records.get(i).key(), k -> new ArrayList<>()).add(ids.get(i));
        }
        for (int k = 0; k < KEYS.length; k++) {
            List<UUID> expected = new ArrayList<>();
            for (int i = k; i < written.size(); i += KEYS.length) {
                expected.add(written.get(i));
            }
            assertThat(byKey.get(KEYS[k])).as("the order of key %s", KEYS[k]).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void aRelaySkipsItsBatchWhileAnotherInstanceHoldsTheRelayLockAndPublishesOnceItIsReleased() throws Exception {
        List<UUID> written;
        try (Connection holder = dataSource.getConnection()) {
            holder.setAutoCommit(false);
            try (PreparedStatement ps = holder.prepareStatement("select pg_advisory_xact_lock(?)")) {
                ps.setLong(1, OutboxRelay.RELAY_LOCK);
                ps.executeQuery().close();
            }
            written = insert(2);

            long started = System.nanoTime();
            assertThat(other.relayBatch()).as("nothing relayed: the other instance relays").isZero();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("without waiting for it")
                    .isLessThan(Duration.ofSeconds(2));
            assertThat(unpublished(written)).isEqualTo(2);
            holder.commit(); // the holder's transaction ends, and its lock with it
        }

        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
            other.relayBatch();
            return unpublished(written) == 0;
        });
        List<UUID> ids = consume(2).stream()
                .map(r -> UUID.fromString(KafkaEnvelope.header(r.headers(), CloudEvents.ID))).toList();
        assertThat(ids).containsExactlyElementsOf(written);
    }

    /** Commits {@code n} rows for this test's topic, keys taken in turn; returns their ids in seq order. */
    private List<UUID> insert(int n) throws SQLException {
        RotationRequested event = new RotationRequested(UUID.randomUUID(), "two-relays-test", Trigger.MANUAL, null,
                "immediate", "test", Instant.now());
        String payload = MessageCodec.encodeToString(event);
        List<UUID> ids = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("insert into outbox (id, topic, msg_key, type, payload,"
                        + " created_at) values (?, ?, ?, ?, ?, ?)")) {
            c.setAutoCommit(false);
            for (int i = 0; i < n; i++) {
                UUID id = UUID.randomUUID();
                ps.setObject(1, id);
                ps.setString(2, topic);
                ps.setString(3, KEYS[i % KEYS.length]);
                ps.setString(4, event.type());
                ps.setString(5, payload);
                ps.setTimestamp(6, Timestamp.from(Instant.now()));
                ps.executeUpdate();
                ids.add(id);
            }
            c.commit();
        }
        return ids;
    }

    private int unpublished(List<UUID> ids) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "select count(*) from outbox where id = any (?) and published_at is null")) {
            ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Everything on this test's topic once {@code expected} records arrived, and a second more for any extra. */
    private List<ConsumerRecord<String, byte[]>> consume(int expected) {
        Map<String, Object> props = new HashMap<>(KafkaResource.clientConfig());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                return seen.size() >= expected;
            });
            consumer.poll(Duration.ofSeconds(1)).forEach(seen::add);
        }
        return seen;
    }
}

package dev.rotor.reencrypt.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rotor.contracts.catalog.ColumnSpec;
import dev.rotor.contracts.catalog.ReencryptSpec;
import dev.rotor.contracts.catalog.StoreRef;
import dev.rotor.contracts.catalog.Strategy;
import dev.rotor.contracts.cipher.MasterKey;
import dev.rotor.contracts.messages.CloudEvents;
import dev.rotor.contracts.messages.Direction;
import dev.rotor.contracts.messages.KafkaEnvelope;
import dev.rotor.contracts.messages.RotorMessage;
import dev.rotor.contracts.messages.Step;
import dev.rotor.contracts.messages.StepCompensated;
import dev.rotor.contracts.messages.StepProgress;
import dev.rotor.contracts.messages.StepRequested;
import dev.rotor.contracts.messages.StepResult;
import dev.rotor.contracts.messages.StepSpec;
import dev.rotor.contracts.messages.StepSucceeded;
import dev.rotor.contracts.messages.Topics;
import dev.rotor.contracts.signing.MessageSignatures;
import dev.rotor.contracts.signing.MessageSigner;
import dev.rotor.local.KafkaClients;
import dev.rotor.local.KafkaResource;
import dev.rotor.local.SigningKeysResource;
import dev.rotor.local.auth.AuthResource;
import dev.rotor.reencrypt.bench.LockboxTable;
import dev.rotor.reencrypt.command.WorkerTestResource;
import dev.rotor.reencrypt.command.WorkerTestResource.TestKeys;
import dev.rotor.reencrypt.engine.TestDb;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/**
 * Online REENCRYPT split into chunks over the real broker and a real PostgreSQL: the coordinator's plan in
 * {@code rotor.reencrypt_chunks}, the chunk records, their redelivery, and poison chunk records. Several worker
 * processes, one of them killed, are in deploy/system-tests' ScaleOutSystemTest.
 */
@QuarkusTest
// The same resources as ReencryptStepTest: one application start (and one in-process broker) for both classes.
@QuarkusTestResource(AuthResource.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(WorkerTestResource.class)
@QuarkusTestResource(value = SigningKeysResource.class,
        initArgs = @ResourceArg(name = "role", value = SigningKeysResource.WORKER))
class ScaleOutStepTest {
    private static final String ORCHESTRATOR = "/rotor/orchestrator";
    private static final MessageSigner SIGNER = SigningKeysResource.commandSigner();
    private static final MasterKey V1 = MasterKey.fromHex(1, TestKeys.V1);
    private static final MasterKey V2 = MasterKey.fromHex(2, TestKeys.V2);

    // WorkerTestResource sets chunks of at least 2,000 rows, at most 6 per column: 12,000 rows are split 6 ways.
    @Test
    void anOnlineJobRunsAsChunksWhoseCountsAddUpAndEveryRowDecryptsUnderTheNewKey() throws Exception {
        int rows = 12_000;
        String table = "chunked_credentials";
        try (Connection c = TestDb.database().open(); var results = KafkaClients.consumer(Topics.STEP_RESULTS);
                var chunks = KafkaClients.consumer(Topics.REENCRYPT_CHUNKS)) {
            LockboxTable.create(c, table, rows, V1);
            UUID rotation = UUID.randomUUID();
            ProducerRecord<String, byte[]> signed = SIGNER.record(Topics.STEP_COMMANDS,
                    command(rotation, Direction.FORWARD, table), ORCHESTRATOR);
            KafkaClients.send(signed);

            List<StepResult> replies = until(results, rotation, r -> r instanceof StepSucceeded);
            assertThat(((StepSucceeded) replies.get(replies.size() - 1)).detail())
                    .startsWith(rows + " rows re-encrypted in 1 column (" + table + ".value_ciphertext: " + rows
                            + " re-encrypted, 0 already under the target key, 0 undecryptable)");
            assertThat(LockboxTable.mismatches(c, table, V2, id -> 0)).isZero();
            List<long[]> recorded = chunkRows(c, rotation);
            assertThat(recorded).hasSize(6).allSatisfy(r -> assertThat(r[1]).isBetween(1_900L, 2_100L));
            assertThat(recorded.stream().mapToLong(r -> r[1]).sum()).isEqualTo(rows);
            assertThat(states(c, rotation)).containsOnly("DONE");
            // Every chunk wrote the old ciphertexts of its rows to the rotation's shadow, for a rollback.
            assertThat(shadowRows(c, rotation)).isEqualTo(rows);
            // Progress sums the chunks: it only grows, and reaches the rows of the first pass.
            List<Long> done = replies.stream().filter(StepProgress.class::isInstance)
                    .map(p -> ((StepProgress) p).done()).toList();
            assertThat(done).isSorted().contains((long) rows);
            assertThat(replies).filteredOn(StepProgress.class::isInstance)
                    .allSatisfy(p -> assertThat(((StepProgress) p).total()).isEqualTo(2L * rows));

            // The chunk records: the orchestrator's signed command, byte for byte, with the chunk's pointer only.
            List<ConsumerRecord<String, byte[]>> published = chunkRecords(chunks, rotation, 6);
            assertThat(published).allSatisfy(r -> {
                assertThat(r.value()).isEqualTo(signed.value());
                assertThat(KafkaEnvelope.header(r.headers(), MessageSignatures.SIGNATURE))
                        .isEqualTo(KafkaEnvelope.header(signed.headers(), MessageSignatures.SIGNATURE));
                assertThat(new String(r.value(), StandardCharsets.UTF_8)).doesNotContain(TestKeys.V1, TestKeys.V2);
            });
            assertThat(published.stream().map(r -> KafkaEnvelope.header(r.headers(), ChunkKey.HEADER)))
                    .containsExactlyInAnyOrder("0/0", "0/1", "0/2", "0/3", "0/4", "0/5");

            // A chunk redelivered after its worker died before marking it done runs again: nothing left to rewrite.
            setState(c, rotation, 2, "RUNNING");
            ConsumerRecord<String, byte[]> third = published.stream()
                    .filter(r -> "0/2".equals(KafkaEnvelope.header(r.headers(), ChunkKey.HEADER))).findFirst()
                    .orElseThrow();
            KafkaClients.send(new ProducerRecord<>(Topics.REENCRYPT_CHUNKS, null, third.key(), third.value(),
                    third.headers()));
            await().atMost(Duration.ofSeconds(30)).until(() -> states(c, rotation).get(2).equals("DONE"));
            long[] again = chunkRows(c, rotation).get(2);
            assertThat(again[2]).as("rewritten in the re-run").isZero();
            assertThat(again[3]).as("already under the target key").isEqualTo(again[1]);
            assertThat(LockboxTable.mismatches(c, table, V2, id -> 0)).isZero();

            // The way back runs whole on the worker that got it.
            KafkaClients.send(SIGNER.record(Topics.STEP_COMMANDS, command(rotation, Direction.COMPENSATE, table),
                    ORCHESTRATOR));
            List<StepResult> back = until(results, rotation, r -> r instanceof StepCompensated);
            assertThat(((StepCompensated) back.get(back.size() - 1)).detail())
                    .startsWith(rows + " rows re-encrypted in 1 column");
            assertThat(LockboxTable.mismatches(c, table, V1, id -> 0)).isZero();
            assertThat(shadowRows(c, rotation)).as("the compensation drops the shadow").isEqualTo(-1);
        }
    }

    /** The rows of the rotation's shadow of column 0, or -1 when it has none. */
    private static long shadowRows(Connection c, UUID rotation) throws SQLException {
        String table = "shadow_" + dev.rotor.reencrypt.engine.Shadow.tag(rotation) + "_0";
        try (var ps = c.prepareStatement("SELECT to_regclass('rotor.' || ?) IS NOT NULL")) {
            ps.setString(1, table);
            try (var rs = ps.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return -1;
                }
            }
        }
        try (var st = c.createStatement(); var rs = st.executeQuery("SELECT count(*) FROM rotor." + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void chunkRecordsThatAreNotTrustedOrPointAtNoChunkGoToTheDeadLetterTopic() throws Exception {
        UUID rotation = UUID.randomUUID();
        try (Connection c = TestDb.database().open(); var dlq = KafkaClients.consumer(Topics.dlq("reencrypt-worker"))) {
            try (var st = c.createStatement()) {
                st.execute("CREATE TABLE IF NOT EXISTS never_planned (id uuid PRIMARY KEY, value_ciphertext text)");
            }
            StepRequested command = command(rotation, Direction.FORWARD, "never_planned");
            ProducerRecord<String, byte[]> signed = SIGNER.record(Topics.REENCRYPT_CHUNKS, command, ORCHESTRATOR);
            signed.headers().add(ChunkKey.HEADER, "0/7".getBytes(StandardCharsets.US_ASCII));
            KafkaClients.send(signed);
            // The same pointer on a command whose payload was changed after signing.
            RecordHeaders forged = new RecordHeaders(signed.headers().toArray());
            byte[] payload = new String(signed.value(), StandardCharsets.UTF_8).replace("never_planned", "credentials")
                    .getBytes(StandardCharsets.UTF_8);
            KafkaClients.send(new ProducerRecord<>(Topics.REENCRYPT_CHUNKS, null, rotation + "/forged", payload,
                    forged));

            List<String> reasons = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                KafkaClients.poll(dlq).stream().filter(r -> r.key() != null && r.key().startsWith(rotation.toString()))
                        .forEach(r -> reasons.add(KafkaEnvelope.header(r.headers(), CloudEvents.DLQ_REASON)));
                return reasons.size() == 2;
            });
            assertThat(reasons).anySatisfy(r -> assertThat(r).contains("chunk 7 of column 0 (rotation " + rotation)
                    .contains("is not recorded in rotor.reencrypt_chunks of datasource tooljet"));
            assertThat(reasons).anySatisfy(r -> assertThat(r).contains("does not match this record"));
        }
    }

    private static StepRequested command(UUID rotation, Direction direction, String table) {
        ReencryptSpec re = new ReencryptSpec("tooljet", "lockbox", "online",
                List.of(new ColumnSpec(table, "id", "value_ciphertext", table, "value")), null);
        StepSpec spec = new StepSpec("lockbox-master-key", null, Strategy.ONLINE_REENCRYPT, null,
                new StoreRef("local", TestKeys.PATH, null), List.of(), null, re, 1, 2, false, false);
        return new StepRequested(rotation, Step.REENCRYPT, 1, direction, spec, Instant.now());
    }

    /** Per chunk in order: chunk number, rows, rewritten, already under the target key. */
    private static List<long[]> chunkRows(Connection c, UUID rotation) throws SQLException {
        List<long[]> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT chunk_no, rows, rewritten, already_under_target FROM"
                + " rotor.reencrypt_chunks WHERE rotation_id = ? AND direction = 'FORWARD' ORDER BY chunk_no")) {
            ps.setObject(1, rotation);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)});
                }
            }
        }
        return out;
    }

    private static List<String> states(Connection c, UUID rotation) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT state FROM rotor.reencrypt_chunks WHERE rotation_id = ?"
                + " AND direction = 'FORWARD' ORDER BY chunk_no")) {
            ps.setObject(1, rotation);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private static void setState(Connection c, UUID rotation, int chunk, String state) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE rotor.reencrypt_chunks SET state = ? WHERE"
                + " rotation_id = ? AND direction = 'FORWARD' AND chunk_no = ?")) {
            ps.setString(1, state);
            ps.setObject(2, rotation);
            ps.setInt(3, chunk);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
    }

    private static List<ConsumerRecord<String, byte[]>> chunkRecords(KafkaConsumer<String, byte[]> chunks,
            UUID rotation, int expected) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            KafkaClients.poll(chunks).stream().filter(r -> r.key().startsWith(rotation.toString())).forEach(out::add);
            return out.size() >= expected;
        });
        return out;
    }

    private static List<StepResult> until(KafkaConsumer<String, byte[]> results, UUID rotation,
            Predicate<StepResult> last) {
        List<StepResult> replies = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            for (ConsumerRecord<String, byte[]> r : KafkaClients.poll(results)) {
                RotorMessage m = KafkaEnvelope.read(r.headers(), r.value());
                if (m instanceof StepResult result && result.rotationId().equals(rotation)) {
                    replies.add(result);
                }
            }
            return replies.stream().anyMatch(last);
        });
        return replies;
    }
}

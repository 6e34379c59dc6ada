package dev.rotor.reencrypt.command;

import static dev.rotor.local.PrometheusSamples.value;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rotor.contracts.catalog.ColumnSpec;
import dev.rotor.contracts.catalog.ReencryptSpec;
import dev.rotor.contracts.catalog.StoreRef;
import dev.rotor.contracts.catalog.Strategy;
import dev.rotor.contracts.cipher.ActiveRecordCodec;
import dev.rotor.contracts.cipher.Codecs;
import dev.rotor.contracts.cipher.MasterKey;
import dev.rotor.contracts.messages.CloudEvents;
import dev.rotor.contracts.messages.Direction;
import dev.rotor.contracts.messages.KafkaEnvelope;
import dev.rotor.contracts.messages.RotorMessage;
import dev.rotor.contracts.messages.Step;
import dev.rotor.contracts.messages.StepCompensated;
import dev.rotor.contracts.messages.StepFailed;
import dev.rotor.contracts.messages.StepProgress;
import dev.rotor.contracts.messages.StepRequested;
import dev.rotor.contracts.messages.StepResult;
import dev.rotor.contracts.messages.StepSpec;
import dev.rotor.contracts.messages.StepSucceeded;
import dev.rotor.contracts.messages.Topics;
import dev.rotor.contracts.signing.MessageSigner;
import dev.rotor.contracts.signing.SigningKeys;
import dev.rotor.local.KafkaClients;
import dev.rotor.local.KafkaResource;
import dev.rotor.local.auth.AuthResource;
import dev.rotor.local.SigningKeysResource;
import dev.rotor.reencrypt.bench.LockboxTable;
import dev.rotor.reencrypt.command.WorkerTestResource.TestKeys;
import dev.rotor.reencrypt.engine.ActiveRecordTable;
import dev.rotor.reencrypt.engine.FernetTable;
import dev.rotor.reencrypt.engine.TestDb;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** REENCRYPT over the real broker and a real PostgreSQL, keys read from a secret-sync-style keystore. */
@QuarkusTest
@QuarkusTestResource(AuthResource.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(WorkerTestResource.class)
@QuarkusTestResource(value = SigningKeysResource.class,
        initArgs = @ResourceArg(name = "role", value = SigningKeysResource.WORKER))
class ReencryptStepTest {
    /** The management interface: health, metrics and OpenAPI are served there, never on the public port. */
    @io.quarkus.test.common.http.TestHTTPResource(value = "/", management = true)
    java.net.URI management;
    private static final String ORCHESTRATOR = "/rotor/orchestrator";
    private static final MessageSigner SIGNER = SigningKeysResource.commandSigner();
    private static final MasterKey V1 = MasterKey.fromHex(1, TestKeys.V1);
    private static final MasterKey V2 = MasterKey.fromHex(2, TestKeys.V2);

    @Test
    void forwardReportsProgressThenSuccessOnceEvenWhenDuplicatedAndCompensationUndoesIt() throws Exception {
        int rows = 20_000;
        try (Connection c = TestDb.database().open(); var results = KafkaClients.consumer(Topics.STEP_RESULTS)) {
            LockboxTable.create(c, "credentials", rows, V1);
            UUID rotation = UUID.randomUUID();
            StepRequested forward = command(rotation, Direction.FORWARD, "online", 1, 2);
            ProducerRecord<String, byte[]> signed = SIGNER.record(Topics.STEP_COMMANDS, forward, ORCHESTRATOR);
            KafkaClients.send(signed);
            KafkaClients.send(signed); // a duplicate, as a replay inside the window is

            List<StepResult> replies = until(results, rotation, r -> r instanceof StepSucceeded);
            StepSucceeded done = (StepSucceeded) replies.get(replies.size() - 1);
            assertThat(done.fromVersion()).isEqualTo(1);
            assertThat(done.toVersion()).isEqualTo(2);
            assertThat(done.detail()).startsWith(rows + " rows re-encrypted in 1 column");
            assertThat(replies).filteredOn(StepProgress.class::isInstance).isNotEmpty()
                    .allSatisfy(p -> assertThat(((StepProgress) p).total()).isEqualTo(2L * rows));
            assertThat(LockboxTable.mismatches(c, "credentials", V2, id -> 0)).isZero();
            // The duplicate started no second job: no second success, in particular none saying "0 rows".
            Thread.sleep(1000);
            assertThat(collect(results, rotation)).noneMatch(r -> r instanceof StepSucceeded);

            KafkaClients.send(SIGNER.record(Topics.STEP_COMMANDS,
                    command(rotation, Direction.COMPENSATE, "online", 1, 2), ORCHESTRATOR));
            List<StepResult> back = until(results, rotation, r -> r instanceof StepCompensated);
            assertThat(((StepCompensated) back.get(back.size() - 1)).detail())
                    .startsWith(rows + " rows re-encrypted in 1 column");
            assertThat(LockboxTable.mismatches(c, "credentials", V1, id -> 0)).isZero();
        }
    }

    @Test
    void aRollbackRestoresTheRowsFromTheShadowDropsItAndARetirementDropsTheShadowOfItsRotation() throws Exception {
        int rows = 3_000;
        try (Connection c = TestDb.database().open(); var results = KafkaClients.consumer(Topics.STEP_RESULTS)) {
            LockboxTable.create(c, "credentials_undo", rows, V1);
            String before = LockboxTable.checksum(c, "credentials_undo");
            UUID rotation = UUID.randomUUID();
            KafkaClients.send(SIGNER.record(Topics.STEP_COMMANDS,
                    command(rotation, Direction.FORWARD, "atomic", 1, 2, "credentials_undo"), ORCHESTRATOR));
            until(results, rotation, r -> r instanceof StepSucceeded);
            String shadow = "rotor.shadow_" + rotation.toString().replace("-", "") + "_0";
            assertThat(count(c, "SELECT count(*) FROM " + shadow)).isEqualTo(rows);

            UUID rollback = UUID.randomUUID();
            StepRequested cmd = command(rollback, Direction.FORWARD, "atomic", 1, 2, "credentials_undo");
            KafkaClients.send(SIGNER.record(Topics.STEP_COMMANDS, new StepRequested(rollback, Step.REENCRYPT, 1,
                    Direction.FORWARD, cmd.spec().undoing(rotation), Instant.now()), ORCHESTRATOR));
            List<StepResult> replies = until(results, rollback, r -> r instanceof StepSucceeded);
            StepSucceeded done = (StepSucceeded) replies.get(replies.size() - 1);
            assertThat(done.detail()).startsWith(rows + " rows restored from the shadow in ")
                    .contains("; 0 rows the application wrote since re-encrypted back");
            assertThat(done.fromVersion()).isEqualTo(1);
            assertThat(done.toVersion()).isEqualTo(2);
            assertThat(LockboxTable.checksum(c, "credentials_undo")).isEqualTo(before); // the very bytes
            assertThat(count(c, "SELECT count(*) FROM pg_tables WHERE schemaname = 'rotor' AND tablename = 'shadow_"
                    + rotation.toString().replace("-", "") + "_0'")).isZero();

            // Another rotation completes; its retirement (secret-sync's step) drops its shadow here, unanswered.
            UUID next = UUID.randomUUID();
            KafkaClients.send(SIGNER.record(Topics.STEP_COMMANDS,
                    command(next, Direction.FORWARD, "online", 1, 2, "credentials_undo"), ORCHESTRATOR));
            until(results, next, r -> r instanceof StepSucceeded);
            String nextShadow = "shadow_" + next.toString().replace("-", "") + "_0";
            assertThat(count(c, "SELECT count(*) FROM rotor." + nextShadow)).isEqualTo(rows);
            StepRequested reencrypted = command(next, Direction.FORWARD, "online", 1, 2, "credentials_undo");
            KafkaClients.send(SIGNER.record(Topics.STEP_COMMANDS, new StepRequested(next, Step.RETIRE_PREVIOUS, 1,
                    Direction.FORWARD, reencrypted.spec(), Instant.now()), ORCHESTRATOR));
            await().atMost(Duration.ofSeconds(30)).until(() -> count(c, "SELECT count(*) FROM pg_tables WHERE"
                    + " schemaname = 'rotor' AND tablename = '" + nextShadow + "'") == 0);
            Thread.sleep(500);
            assertThat(collect(results, next)).isEmpty();
        }
    }

    private static long count(Connection c, String sql) throws Exception {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aWrongOldKeyFailsTheStepNamingTableAndFirstRowAndTouchesNothing() throws Exception {
        try (Connection c = TestDb.database().open(); var results = KafkaClients.consumer(Topics.STEP_RESULTS)) {
            LockboxTable.create(c, "credentials_wrong", 3_000, V1);
            String before = LockboxTable.checksum(c, "credentials_wrong");
            String first;
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT id::text FROM credentials_wrong ORDER BY id LIMIT 1")) {
                rs.next();
                first = rs.getString(1);
            }
            UUID rotation = UUID.randomUUID();
            StepRequested cmd = command(rotation, Direction.FORWARD, "atomic", 3, 2, "credentials_wrong");
            KafkaClients.send(SIGNER.record(Topics.STEP_COMMANDS, cmd, ORCHESTRATOR));
            List<StepResult> replies = until(results, rotation, r -> r instanceof StepFailed);
            StepFailed failed = (StepFailed) replies.get(replies.size() - 1);
            assertThat(failed.retryable()).isFalse();
            assertThat(failed.error()).startsWith("pre-flight: row " + first + " of table credentials_wrong ")
                    .doesNotContain(TestKeys.NOT_V1).doesNotContain(TestKeys.V2);
            assertThat(LockboxTable.checksum(c, "credentials_wrong")).isEqualTo(before);
        }
    }

    @Test
    void aVersionTheStoreDoesNotHoldFailsForwardByNameAndLeavesNothingToUndoBackward() throws Exception {
        try (Connection c = TestDb.database().open(); var results = KafkaClients.consumer(Topics.STEP_RESULTS)) {
            LockboxTable.create(c, "credentials_missing", 500, V1);
            String before = LockboxTable.checksum(c, "credentials_missing");
            UUID rotation = UUID.randomUUID();
            KafkaClients.send(SIGNER.record(Topics.STEP_COMMANDS,
                    command(rotation, Direction.FORWARD, "atomic", 9, 2, "credentials_missing"), ORCHESTRATOR));
            List<StepResult> replies = until(results, rotation, r -> r instanceof StepFailed);
            StepFailed failed = (StepFailed) replies.get(replies.size() - 1);
            assertThat(failed.retryable()).isFalse();
            assertThat(failed.error()).isEqualTo("version 9 of secret " + TestKeys.PATH
                    + " has no material in the local keystore (never staged, or retired)");

            // Undoing a step whose target version never existed: no row can be under it.
            UUID back = UUID.randomUUID();
            KafkaClients.send(SIGNER.record(Topics.STEP_COMMANDS,
                    command(back, Direction.COMPENSATE, "atomic", 1, 9, "credentials_missing"), ORCHESTRATOR));
            List<StepResult> undone = until(results, back, r -> r instanceof StepCompensated);
            assertThat(((StepCompensated) undone.get(undone.size() - 1)).detail())
                    .isEqualTo("nothing to undo: key version 9 does not exist, so no row can be under it");
            assertThat(LockboxTable.checksum(c, "credentials_missing")).isEqualTo(before);
        }
    }

    @Test
    void keysInTheVaultStoreReencryptTheRowsAndAVersionVaultLacksFailsByName() throws Exception {
        MasterKey vaultV1 = MasterKey.fromHex(1, TestKeys.VAULT_V1);
        MasterKey vaultV2 = MasterKey.fromHex(2, TestKeys.VAULT_V2);
        try (Connection c = TestDb.database().open(); var results = KafkaClients.consumer(Topics.STEP_RESULTS)) {
            LockboxTable.create(c, "billing_secrets", 2_500, vaultV1);
            UUID rotation = UUID.randomUUID();
            KafkaClients.send(SIGNER.record(Topics.STEP_COMMANDS,
                    vaultCommand(rotation, Direction.FORWARD, 1, 2), ORCHESTRATOR));
            List<StepResult> replies = until(results, rotation,
                    r -> r instanceof StepSucceeded || r instanceof StepFailed);
            assertThat(replies.get(replies.size() - 1)).isInstanceOfSatisfying(StepSucceeded.class,
                    done -> assertThat(done.detail()).startsWith("2500 rows re-encrypted in 1 column"));
            assertThat(LockboxTable.mismatches(c, "billing_secrets", vaultV2, id -> 0)).isZero();

            // Version 3 was destroyed in Vault: the step fails by secret and version, and touches nothing.
            String before = LockboxTable.checksum(c, "billing_secrets");
            UUID next = UUID.randomUUID();
            KafkaClients.send(SIGNER.record(Topics.STEP_COMMANDS,
                    vaultCommand(next, Direction.FORWARD, 2, 3), ORCHESTRATOR));
            List<StepResult> failed = until(results, next, r -> r instanceof StepFailed);
            assertThat(failed.get(failed.size() - 1)).isInstanceOfSatisfying(StepFailed.class, f -> {
                assertThat(f.retryable()).isFalse();
                assertThat(f.error()).isEqualTo("version 3 of secret " + TestKeys.VAULT_PATH
                        + " has no material in the vault store (never staged, or retired)");
            });
            assertThat(LockboxTable.checksum(c, "billing_secrets")).isEqualTo(before);
            assertThat(scrape()).doesNotContain(TestKeys.VAULT_V1, TestKeys.VAULT_V2,
                    dev.rotor.reencrypt.keys.FakeVaultKv.TOKEN);
        }
    }

    private static StepRequested vaultCommand(UUID rotation, Direction direction, int from, int to) {
        ReencryptSpec re = new ReencryptSpec("tooljet", "lockbox", "atomic",
                List.of(new ColumnSpec("billing_secrets", "id", "value_ciphertext", "billing_secrets", "value")));
        StepSpec spec = new StepSpec("billing-master-key", null, Strategy.OFFLINE_REENCRYPT, null,
                new StoreRef("vault", TestKeys.VAULT_PATH, null), List.of(), null, re, from, to, false, false);
        return new StepRequested(rotation, Step.REENCRYPT, 1, direction, spec, Instant.now());
    }

    @Test
    void anUnsignedForgedOrTamperedReencryptIsDeadLetteredAndLeavesTheRowsAsTheyWere() throws Exception {
        try (Connection c = TestDb.database().open(); var results = KafkaClients.consumer(Topics.STEP_RESULTS);
                var dlq = KafkaClients.consumer(Topics.dlq("reencrypt-worker"))) {
            LockboxTable.create(c, "credentials_forged", 2_000, V1);
            String before = LockboxTable.checksum(c, "credentials_forged");
            StepRequested unsigned = command(UUID.randomUUID(), Direction.FORWARD, "atomic", 1, 2, "credentials_forged");
            StepRequested forged = command(UUID.randomUUID(), Direction.FORWARD, "atomic", 1, 2, "credentials_forged");
            StepRequested decoy = command(UUID.randomUUID(), Direction.FORWARD, "atomic", 1, 2, "credentials_decoy");
            ProducerRecord<String, byte[]> signedDecoy = SIGNER.record(Topics.STEP_COMMANDS, decoy, ORCHESTRATOR);
            byte[] retargeted = new String(signedDecoy.value(), StandardCharsets.UTF_8)
                    .replace("credentials_decoy", "credentials_forged").getBytes(StandardCharsets.UTF_8);

            // A command for a step no worker owns is checked here too (its hint names no step of secret-sync's).
            StepRequested noWorkers = new StepRequested(UUID.randomUUID(), Step.DRAIN_TRAFFIC, 1, Direction.FORWARD,
                    unsigned.spec(), Instant.now());
            KafkaClients.send(KafkaEnvelope.record(Topics.STEP_COMMANDS, noWorkers, ORCHESTRATOR));
            KafkaClients.send(KafkaEnvelope.record(Topics.STEP_COMMANDS, unsigned, ORCHESTRATOR));
            KafkaClients.send(MessageSigner.of(SigningKeys.generate().getPrivate())
                    .record(Topics.STEP_COMMANDS, forged, ORCHESTRATOR));
            KafkaClients.send(new ProducerRecord<>(Topics.STEP_COMMANDS, null, signedDecoy.key(), retargeted,
                    signedDecoy.headers()));

            Map<String, String> reasons = new HashMap<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                KafkaClients.poll(dlq).forEach(r -> reasons.put(r.key(),
                        KafkaEnvelope.header(r.headers(), CloudEvents.DLQ_REASON)));
                return reasons.keySet().containsAll(List.of(unsigned.subject(), forged.subject(), decoy.subject(),
                        noWorkers.subject()));
            });
            assertThat(reasons.get(noWorkers.subject())).startsWith("unsigned: ");
            assertThat(reasons.get(unsigned.subject())).startsWith("unsigned: ");
            assertThat(reasons.get(forged.subject())).startsWith("unknown key: ");
            assertThat(reasons.get(decoy.subject())).startsWith("bad signature: ");
            assertThat(LockboxTable.checksum(c, "credentials_forged")).isEqualTo(before);

            // An unsigned command whose step hint names secret-sync's step is passed over unread: secret-sync owns
            // it and dead-letters it, not this worker. Same key as the genuine command below, so it is read first.
            UUID rotation = UUID.randomUUID();
            StepRequested reencrypt = command(rotation, Direction.FORWARD, "atomic", 1, 2, "credentials_forged");
            KafkaClients.send(KafkaEnvelope.record(Topics.STEP_COMMANDS, new StepRequested(rotation,
                    Step.STAGE_SECRET, 1, Direction.FORWARD, reencrypt.spec(), Instant.now()), ORCHESTRATOR));

            // The orchestrator's own command for the same table is handled.
            KafkaClients.send(SIGNER.record(Topics.STEP_COMMANDS, reencrypt, ORCHESTRATOR));
            List<StepResult> replies = until(results, rotation, r -> r instanceof StepSucceeded);
            assertThat(((StepSucceeded) replies.get(replies.size() - 1)).toVersion()).isEqualTo(2);
            assertThat(LockboxTable.mismatches(c, "credentials_forged", V2, id -> 0)).isZero();
            assertThat(KafkaClients.poll(dlq)).extracting(r -> r.key()).doesNotContain(rotation.toString());
        }
    }

    @Test
    void aFernetColumnIsReencryptedWithTheFernetKeysOfTheStoreAndCompensationUndoesIt() throws Exception {
        MasterKey fernetV1 = Codecs.fernet().readMasterKey(1, TestKeys.FERNET_V1);
        MasterKey fernetV2 = Codecs.fernet().readMasterKey(2, TestKeys.FERNET_V2);
        try (Connection c = TestDb.database().open(); var results = KafkaClients.consumer(Topics.STEP_RESULTS)) {
            Map<Long, String> plaintexts = FernetTable.create(c, "django_tokens", 1_500, fernetV1);
            UUID rotation = UUID.randomUUID();

            KafkaClients.send(SIGNER.record(Topics.STEP_COMMANDS, fernetCommand(rotation, Direction.FORWARD),
                    ORCHESTRATOR));
            List<StepResult> replies = until(results, rotation,
                    r -> r instanceof StepSucceeded || r instanceof StepFailed);

            assertThat(replies.get(replies.size() - 1)).isInstanceOfSatisfying(StepSucceeded.class,
                    done -> assertThat(done.detail()).startsWith("1500 rows re-encrypted in 1 column"));
            assertThat(FernetTable.decrypted(c, "django_tokens", fernetV2)).isEqualTo(plaintexts);

            KafkaClients.send(SIGNER.record(Topics.STEP_COMMANDS, fernetCommand(rotation, Direction.COMPENSATE),
                    ORCHESTRATOR));
            until(results, rotation, r -> r instanceof StepCompensated);
            assertThat(FernetTable.decrypted(c, "django_tokens", fernetV1)).isEqualTo(plaintexts);

            // Only this test rotates django-field-key: its series hold exactly this job's rows, each way.
            String metrics = scrape();
            assertThat(value(metrics, "rotor_reencrypt_rows_total", "secret=\"django-field-key\"",
                    "direction=\"FORWARD\"", "mode=\"ONLINE\"")).isEqualTo(1500.0);
            assertThat(value(metrics, "rotor_reencrypt_rows_total", "secret=\"django-field-key\"",
                    "direction=\"COMPENSATE\"", "mode=\"ONLINE\"")).isEqualTo(1500.0);
            assertThat(value(metrics, "rotor_reencrypt_rows_per_second", "secret=\"django-field-key\"",
                    "direction=\"COMPENSATE\"")).isPositive();
            // One step each way; counted once the broker acknowledged the reply, which may be just after we saw it.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                String now = scrape();
                assertThat(value(now, "rotor_step_executions_total", "secret=\"django-field-key\"",
                        "step=\"REENCRYPT\"", "direction=\"FORWARD\"", "outcome=\"succeeded\"")).isEqualTo(1.0);
                assertThat(value(now, "rotor_step_executions_total", "secret=\"django-field-key\"",
                        "step=\"REENCRYPT\"", "direction=\"COMPENSATE\"", "outcome=\"compensated\""))
                        .isEqualTo(1.0);
            });
            assertThat(metrics).doesNotContain(TestKeys.FERNET_V1, TestKeys.FERNET_V2);
        }
    }

    @Test
    void aRailsDeterministicColumnMovesToTheNewKeyAndCompensationRestoresTheBytesRailsWrote() throws Exception {
        ActiveRecordCodec codec = Codecs.activeRecord(true).withDerivation(TestKeys.RAILS_SALT,
                ActiveRecordCodec.HashDigest.SHA1);
        MasterKey v1 = codec.readMasterKey(1, TestKeys.RAILS_DETERMINISTIC_V1);
        MasterKey v2 = codec.readMasterKey(2, TestKeys.RAILS_DETERMINISTIC_V2);
        String table = "encrypted_books";
        try (Connection c = TestDb.database().open(); var results = KafkaClients.consumer(Topics.STEP_RESULTS)) {
            // Row 1 is the value Rails' own test suite pins for "Dune"; the others are written as Rails writes them.
            Map<Long, String> plaintexts = ActiveRecordTable.create(c, table, 1_200, codec, v1, TestKeys.RAILS_DUNE,
                    "Dune");
            Map<Long, String> before = ActiveRecordTable.stored(c, table);
            UUID rotation = UUID.randomUUID();

            KafkaClients.send(SIGNER.record(Topics.STEP_COMMANDS, railsCommand(rotation, Direction.FORWARD, "rails",
                    "activerecord-deterministic", "sha1", table, "online"), ORCHESTRATOR));
            List<StepResult> replies = until(results, rotation,
                    r -> r instanceof StepSucceeded || r instanceof StepFailed);

            assertThat(replies.get(replies.size() - 1)).isInstanceOfSatisfying(StepSucceeded.class,
                    done -> assertThat(done.detail()).startsWith("1200 rows re-encrypted in 1 column"));
            assertThat(ActiveRecordTable.decrypted(c, table, codec, v2)).isEqualTo(plaintexts);
            // The app finds the row by the value it computes for "Dune" under the new key.
            assertThat(ActiveRecordTable.stored(c, table).get(1L)).isEqualTo(codec.encrypt(
                    ActiveRecordTable.key(codec, v2, table), null, "Dune".getBytes(StandardCharsets.UTF_8)));

            KafkaClients.send(SIGNER.record(Topics.STEP_COMMANDS, railsCommand(rotation, Direction.COMPENSATE,
                    "rails", "activerecord-deterministic", "sha1", table, "online"), ORCHESTRATOR));
            until(results, rotation, r -> r instanceof StepCompensated);
            // Deterministic and shape-keeping: every value is back byte for byte, Rails' own included.
            assertThat(ActiveRecordTable.stored(c, table)).isEqualTo(before);
            assertThat(ActiveRecordTable.stored(c, table).get(1L)).isEqualTo(TestKeys.RAILS_DUNE);
        }
    }

    @Test
    void aRailsColumnUnderThePrimaryKeyIsReencryptedAndADatasourceWithoutTheSaltFailsTheStepByName()
            throws Exception {
        ActiveRecordCodec codec = Codecs.activeRecord(false).withDerivation(TestKeys.RAILS_SALT,
                ActiveRecordCodec.HashDigest.SHA256);
        MasterKey v1 = codec.readMasterKey(1, TestKeys.RAILS_PRIMARY_V1);
        MasterKey v2 = codec.readMasterKey(2, TestKeys.RAILS_PRIMARY_V2);
        String table = "rails_authors";
        try (Connection c = TestDb.database().open(); var results = KafkaClients.consumer(Topics.STEP_RESULTS)) {
            String first = codec.encrypt(ActiveRecordTable.key(codec, v1, table), null,
                    "tolkien@email.com".getBytes(StandardCharsets.UTF_8));
            Map<Long, String> plaintexts = ActiveRecordTable.create(c, table, 900, codec, v1, first,
                    "tolkien@email.com");

            UUID refused = UUID.randomUUID();
            KafkaClients.send(SIGNER.record(Topics.STEP_COMMANDS, railsCommand(refused, Direction.FORWARD, "tooljet",
                    "activerecord", null, table, "atomic"), ORCHESTRATOR));
            List<StepResult> failure = until(results, refused, r -> r instanceof StepFailed);
            assertThat(failure.get(failure.size() - 1)).isInstanceOfSatisfying(StepFailed.class, f -> {
                assertThat(f.retryable()).isFalse();
                assertThat(f.error()).startsWith("datasource 'tooljet' has no key derivation salt")
                        .contains("ROTOR_REENCRYPT_DATASOURCES_TOOLJET_KEY_DERIVATION_SALT");
            });
            assertThat(ActiveRecordTable.decrypted(c, table, codec, v1)).isEqualTo(plaintexts);

            UUID rotation = UUID.randomUUID();
            KafkaClients.send(SIGNER.record(Topics.STEP_COMMANDS, railsCommand(rotation, Direction.FORWARD, "rails",
                    "activerecord", null, table, "atomic"), ORCHESTRATOR));
            List<StepResult> replies = until(results, rotation,
                    r -> r instanceof StepSucceeded || r instanceof StepFailed);
            assertThat(replies.get(replies.size() - 1)).isInstanceOfSatisfying(StepSucceeded.class,
                    done -> assertThat(done.detail()).startsWith("900 rows re-encrypted in 1 column"));
            assertThat(ActiveRecordTable.decrypted(c, table, codec, v2)).isEqualTo(plaintexts);

            KafkaClients.send(SIGNER.record(Topics.STEP_COMMANDS, railsCommand(rotation, Direction.COMPENSATE,
                    "rails", "activerecord", null, table, "atomic"), ORCHESTRATOR));
            until(results, rotation, r -> r instanceof StepCompensated);
            assertThat(ActiveRecordTable.decrypted(c, table, codec, v1)).isEqualTo(plaintexts);
            assertThat(scrape()).doesNotContain(TestKeys.RAILS_PRIMARY_V1, TestKeys.RAILS_PRIMARY_V2,
                    TestKeys.RAILS_SALT);
        }
    }

    private String scrape() {
        return given().get(management.resolve("/q/metrics")).then().statusCode(200).extract().asString();
    }

    private static StepRequested fernetCommand(UUID rotation, Direction direction) {
        ReencryptSpec re = new ReencryptSpec("tooljet", "fernet", "online",
                List.of(new ColumnSpec("django_tokens", "id", FernetTable.COLUMN, null, null)), null);
        StepSpec spec = new StepSpec("django-field-key", null, Strategy.ONLINE_REENCRYPT, null,
                new StoreRef("local", TestKeys.FERNET_PATH, null), List.of(), null, re, 1, 2, false, false);
        return new StepRequested(rotation, Step.REENCRYPT, 1, direction, spec, Instant.now());
    }

    private static StepRequested railsCommand(UUID rotation, Direction direction, String datasource, String codec,
            String hashDigest, String table, String mode) {
        boolean deterministic = codec.equals(ActiveRecordCodec.DETERMINISTIC_NAME);
        ReencryptSpec re = new ReencryptSpec(datasource, codec, mode,
                List.of(new ColumnSpec(table, "id", ActiveRecordTable.COLUMN, null, null)), hashDigest);
        StepSpec spec = new StepSpec(deterministic ? "rails-deterministic-key" : "rails-primary-key", null,
                Strategy.ONLINE_REENCRYPT, null, new StoreRef("local", deterministic
                        ? TestKeys.RAILS_DETERMINISTIC_PATH : TestKeys.RAILS_PRIMARY_PATH, null), List.of(), null,
                re, 1, 2, false, false);
        return new StepRequested(rotation, Step.REENCRYPT, 1, direction, spec, Instant.now());
    }

    private static List<StepResult> until(KafkaConsumer<String, byte[]> results, UUID rotation,
            Predicate<StepResult> last) {
        List<StepResult> replies = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            replies.addAll(collect(results, rotation));
            return replies.stream().anyMatch(last);
        });
        return replies;
    }

    private static List<StepResult> collect(KafkaConsumer<String, byte[]> results, UUID rotation) {
        List<StepResult> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : KafkaClients.poll(results)) {
            RotorMessage m = KafkaEnvelope.read(r.headers(), r.value());
            if (m instanceof StepResult result && result.rotationId().equals(rotation)) {
                out.add(result);
            }
        }
        return out;
    }

    private static StepRequested command(UUID rotation, Direction direction, String mode, int from, int to) {
        return command(rotation, direction, mode, from, to, "credentials");
    }

    private static StepRequested command(UUID rotation, Direction direction, String mode, int from, int to,
            String table) {
        ReencryptSpec re = new ReencryptSpec("tooljet", "lockbox", mode,
                List.of(new ColumnSpec(table, "id", "value_ciphertext", table, "value")), null);
        StepSpec spec = new StepSpec("lockbox-master-key", null, Strategy.OFFLINE_REENCRYPT, null,
                new StoreRef("local", TestKeys.PATH, null), List.of(), null, re, from, to, false, false);
        return new StepRequested(rotation, Step.REENCRYPT, 1, direction, spec, Instant.now());
    }
}

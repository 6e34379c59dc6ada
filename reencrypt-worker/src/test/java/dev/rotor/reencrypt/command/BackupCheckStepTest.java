package dev.rotor.reencrypt.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rotor.contracts.catalog.BackupCheckSpec;
import dev.rotor.contracts.catalog.ColumnSpec;
import dev.rotor.contracts.catalog.ReencryptSpec;
import dev.rotor.contracts.catalog.StoreRef;
import dev.rotor.contracts.catalog.Strategy;
import dev.rotor.contracts.messages.Direction;
import dev.rotor.contracts.messages.KafkaEnvelope;
import dev.rotor.contracts.messages.RotorMessage;
import dev.rotor.contracts.messages.Step;
import dev.rotor.contracts.messages.StepFailed;
import dev.rotor.contracts.messages.StepRequested;
import dev.rotor.contracts.messages.StepResult;
import dev.rotor.contracts.messages.StepSpec;
import dev.rotor.contracts.messages.StepSucceeded;
import dev.rotor.contracts.messages.Topics;
import dev.rotor.contracts.signing.MessageSigner;
import dev.rotor.local.KafkaClients;
import dev.rotor.local.KafkaResource;
import dev.rotor.local.SigningKeysResource;
import dev.rotor.local.auth.AuthResource;
import dev.rotor.reencrypt.command.WorkerTestResource.TestKeys;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

/**
 * CHECK_BACKUP over the real broker, its queries on a real PostgreSQL (the worker's datasource {@code tooljet}) and its
 * commands as real processes: what passes, what fails and how the reply says so.
 */
@QuarkusTest
@QuarkusTestResource(AuthResource.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(WorkerTestResource.class)
@QuarkusTestResource(value = SigningKeysResource.class,
        initArgs = @ResourceArg(name = "role", value = SigningKeysResource.WORKER))
class BackupCheckStepTest {
    private static final String ORCHESTRATOR = "/rotor/orchestrator";
    private static final MessageSigner SIGNER = SigningKeysResource.commandSigner();

    @Test
    void aQueryPassesOnlyWhenItsFirstColumnIsTrue() throws Exception {
        try (var results = KafkaClients.consumer(Topics.STEP_RESULTS)) {
            StepSucceeded ok = (StepSucceeded) check(results, new BackupCheckSpec(
                    "select count(*) >= 0 from pg_stat_archiver", null, null));
            assertThat(ok.detail()).isEqualTo("backup check passed: sql check 'select count(*) >= 0 from"
                    + " pg_stat_archiver' on datasource tooljet");
            assertThat(ok.fromVersion()).isNull();
            assertThat(ok.toVersion()).isNull();

            // The embedded server archives no WAL: the usual check is unknown (null), and that is no pass.
            StepFailed never = (StepFailed) check(results, new BackupCheckSpec(
                    "select last_archived_time > now() - interval '1 hour' from pg_stat_archiver", null, null));
            assertThat(never.retryable()).isFalse();
            assertThat(never.error()).isEqualTo("backup check failed: sql check 'select last_archived_time > now()"
                    + " - interval '1 hour' fro...' on datasource tooljet returned null");

            StepFailed stale = (StepFailed) check(results, new BackupCheckSpec("select coalesce(last_archived_time >"
                    + " now() - interval '1 hour', false) from pg_stat_archiver", null, null));
            assertThat(stale.error()).endsWith(" on datasource tooljet returned false");

            StepFailed none = (StepFailed) check(results, new BackupCheckSpec(
                    "select true from pg_stat_archiver where false", null, null));
            assertThat(none.error()).endsWith("returned no row");

            StepFailed notBoolean = (StepFailed) check(results, new BackupCheckSpec(
                    "select repeat('ab', 3)", null, null));
            assertThat(notBoolean.error()).endsWith("must return a boolean first column, got a text")
                    .doesNotContain("ababab"); // the query is named, its result never
        }
    }

    @Test
    void aQueryThatCannotRunOrWritesIsRefusedWithItsSqlState() throws Exception {
        try (var results = KafkaClients.consumer(Topics.STEP_RESULTS)) {
            StepFailed syntax = (StepFailed) check(results, new BackupCheckSpec("selec true", null, null));
            assertThat(syntax.retryable()).isFalse();
            assertThat(syntax.error()).startsWith("backup check could not run: sql check 'selec true' on datasource"
                    + " tooljet: ").endsWith("[SQLState 42601]");

            // The check runs read-only: it cannot change the database it guards.
            StepFailed write = (StepFailed) check(results, new BackupCheckSpec(
                    "create table backup_check_wrote(x int)", null, null));
            assertThat(write.error()).endsWith("[SQLState 25006]");

            StepFailed slow = (StepFailed) check(results, new BackupCheckSpec("select pg_sleep(5) is not null", null,
                    "1s"));
            assertThat(slow.retryable()).isFalse();
            assertThat(slow.error()).endsWith("took longer than 1 s [SQLState 57014]");
        }
    }

    @Test
    void aCommandPassesOnExitZeroFailsOtherwiseAndIsKilledAtItsTimeout() throws Exception {
        try (var results = KafkaClients.consumer(Topics.STEP_RESULTS)) {
            Path env = Files.createTempFile("backup-check-env", ".txt");
            StepSucceeded ok = (StepSucceeded) check(results, new BackupCheckSpec(null,
                    List.of("sh", "-c", "env > " + env), null));
            assertThat(ok.detail()).isEqualTo("backup check passed: command check 'sh' exited with 0");
            // Only PATH, HOME and LANG of the worker's environment (sh adds its own PWD, SHLVL and _).
            Set<String> names = Files.readAllLines(env).stream().map(l -> l.substring(0, l.indexOf('=')))
                    .collect(Collectors.toSet());
            assertThat(names).contains("PATH").isSubsetOf("PATH", "HOME", "LANG", "PWD", "SHLVL", "_");

            StepFailed three = (StepFailed) check(results, new BackupCheckSpec(null,
                    List.of("sh", "-c", "echo password=hunter2; exit 3"), null));
            assertThat(three.retryable()).isFalse();
            assertThat(three.error()).isEqualTo("backup check failed: command check 'sh' exited with status 3");

            long started = System.nanoTime();
            StepFailed hung = (StepFailed) check(results, new BackupCheckSpec(null, List.of("sleep", "60"), "1s"));
            assertThat(hung.error()).isEqualTo("backup check failed: command check 'sleep' did not finish within 1 s"
                    + " and was killed");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));

            StepFailed missing = (StepFailed) check(results, new BackupCheckSpec(null,
                    List.of("/nonexistent/pgbackrest", "check"), null));
            assertThat(missing.error()).isEqualTo("backup check could not run: command check"
                    + " '/nonexistent/pgbackrest' did not start (IOException)");
        }
    }

    @Test
    void anEntryWithoutACheckIsRefusedAndACompensationHasNothingToUndo() throws Exception {
        try (var results = KafkaClients.consumer(Topics.STEP_RESULTS)) {
            StepFailed none = (StepFailed) reply(results, command(null, Direction.FORWARD));
            assertThat(none.error()).isEqualTo("secret lockbox-master-key has no reencrypt.backup-check in the"
                    + " catalog");
            StepResult back = reply(results, command(new BackupCheckSpec("select true", null, null),
                    Direction.COMPENSATE));
            assertThat(back).isInstanceOfSatisfying(dev.rotor.contracts.messages.StepCompensated.class,
                    c -> assertThat(c.detail()).isEqualTo("nothing to undo: a backup check changes nothing"));
        }
    }

    private static StepResult check(KafkaConsumer<String, byte[]> results, BackupCheckSpec check)
            throws Exception {
        return reply(results, command(check, Direction.FORWARD));
    }

    private static StepResult reply(KafkaConsumer<String, byte[]> results, StepRequested command)
            throws Exception {
        KafkaClients.send(SIGNER.record(Topics.STEP_COMMANDS, command, ORCHESTRATOR));
        StepResult[] found = new StepResult[1];
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            for (ConsumerRecord<String, byte[]> r : KafkaClients.poll(results)) {
                RotorMessage m = KafkaEnvelope.read(r.headers(), r.value());
                if (m instanceof StepResult result && result.rotationId().equals(command.rotationId())) {
                    found[0] = result;
                }
            }
            return found[0] != null;
        });
        assertThat(found[0].step()).isEqualTo(Step.CHECK_BACKUP);
        return found[0];
    }

    private static StepRequested command(BackupCheckSpec check, Direction direction) {
        ReencryptSpec re = new ReencryptSpec("tooljet", "lockbox", "atomic",
                List.of(new ColumnSpec("credentials", "id", "value_ciphertext", "credentials", "value")), null, check);
        StepSpec spec = new StepSpec("lockbox-master-key", null, Strategy.OFFLINE_REENCRYPT, null,
                new StoreRef("local", TestKeys.PATH, null), List.of(), null, re, null, null, false, false);
        return new StepRequested(UUID.randomUUID(), Step.CHECK_BACKUP, 1, direction, spec, Instant.now());
    }
}

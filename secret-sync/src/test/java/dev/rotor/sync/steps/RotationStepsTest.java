package dev.rotor.sync.steps;

import static dev.rotor.contracts.messages.Direction.COMPENSATE;
import static dev.rotor.contracts.messages.Direction.FORWARD;
import static dev.rotor.contracts.messages.Step.RETIRE_PREVIOUS;
import static dev.rotor.contracts.messages.Step.STAGE_SECRET;
import static dev.rotor.contracts.messages.Step.UPDATE_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.contracts.messages.StepCompensated;
import dev.rotor.contracts.messages.StepResult;
import dev.rotor.contracts.messages.StepSucceeded;
import dev.rotor.contracts.messages.Topics;
import dev.rotor.local.KafkaResource;
import dev.rotor.local.auth.AuthResource;
import dev.rotor.local.SigningKeysResource;
import dev.rotor.sync.store.SecretStores;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole step sequences through the real broker, asserting the .env contents and the store's labels. */
@QuarkusTest
@QuarkusTestResource(AuthResource.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(TempHomeResource.class)
@QuarkusTestResource(value = SigningKeysResource.class,
        initArgs = @ResourceArg(name = "role", value = SigningKeysResource.WORKER))
class RotationStepsTest {
    /** The management interface: health, metrics and OpenAPI are served there, never on the public port. */
    @io.quarkus.test.common.http.TestHTTPResource(value = "/", management = true)
    java.net.URI management;
    static final String ORIGINAL = "# app\nAPP=demo\nJWT_SECRET=adopted-original\nJWT_SECRET_PREVIOUS=\nPORT=3000\n";
    static KafkaTestClient kafka;

    @Inject
    SecretStores stores;

    @TempDir
    Path dir;

    @BeforeAll
    static void connect() {
        kafka = new KafkaTestClient(KafkaResource.clientConfig(), Topics.STEP_RESULTS);
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    private Path envFile() throws Exception {
        Path env = Files.writeString(dir.resolve(".env"), ORIGINAL);
        Files.setPosixFilePermissions(env, PosixFilePermissions.fromString("rw-r-----"));
        return env;
    }

    @Test
    void dualKeyStagesUpdatesThenRetires() throws Exception {
        Path env = envFile();
        StepCommands s = new StepCommands(kafka, env, "local");
        Scrape before = new Scrape(management);

        StepResult staged = s.run(s.command(STAGE_SECRET, FORWARD, 1, null, null, true));
        assertThat(staged).isInstanceOfSatisfying(StepSucceeded.class, r -> {
            assertThat(r.fromVersion()).isEqualTo(1);
            assertThat(r.toVersion()).isEqualTo(2);
        });
        assertThat(s.labels()).containsExactly("current", "pending");
        String v2 = stores.local().read(s.storePath, 2);
        assertThat(stores.local().read(s.storePath, 1)).isEqualTo("adopted-original");
        assertThat(Files.readString(env)).isEqualTo(ORIGINAL);

        StepResult updated = s.run(s.command(UPDATE_SECRET, FORWARD, 1, 1, 2, true));
        assertThat(updated).isInstanceOf(StepSucceeded.class);
        assertThat(Files.readString(env)).isEqualTo("# app\nAPP=demo\nJWT_SECRET=" + v2
                + "\nJWT_SECRET_PREVIOUS=adopted-original\nPORT=3000\n");
        assertThat(Files.getPosixFilePermissions(env)).isEqualTo(PosixFilePermissions.fromString("rw-r-----"));
        assertThat(s.labels()).containsExactly("previous", "current");

        StepResult retired = s.run(s.command(RETIRE_PREVIOUS, FORWARD, 1, 1, 2, true));
        assertThat(retired).isInstanceOf(StepSucceeded.class);
        assertThat(s.labels()).containsExactly("retired", "current");
        assertThat(stores.local().versions(s.storePath).get(0).destroyed()).isTrue();
        assertThat(Files.readString(env)).isEqualTo("# app\nAPP=demo\nJWT_SECRET=" + v2
                + "\nJWT_SECRET_PREVIOUS=\nPORT=3000\n");
        for (StepResult r : java.util.List.of(staged, updated, retired)) {
            assertThat(StepCommands.json(r)).doesNotContain(v2, "adopted-original");
        }
        // A version staged, promoted and retired: one success each (counted once the reply was acknowledged).
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() -> {
            Scrape after = new Scrape(management);
            for (var step : java.util.List.of(STAGE_SECRET, UPDATE_SECRET, RETIRE_PREVIOUS)) {
                assertThat(after.executions("jwt-secret", step, FORWARD, "succeeded")).as(step.name())
                        .isEqualTo(before.executions("jwt-secret", step, FORWARD, "succeeded") + 1);
            }
            assertThat(after.text).doesNotContain(v2, "adopted-original");
        });
    }

    @Test
    void immediateClearsThePreviousVariableAtUpdate() throws Exception {
        Path env = Files.writeString(dir.resolve(".env"), "JWT_SECRET=leaked\nJWT_SECRET_PREVIOUS=older\n");
        StepCommands s = new StepCommands(kafka, env, "local");
        s.run(s.command(STAGE_SECRET, FORWARD, 1, null, null, false));
        String v2 = stores.local().read(s.storePath, 2);

        assertThat(s.run(s.command(UPDATE_SECRET, FORWARD, 1, 1, 2, false))).isInstanceOf(StepSucceeded.class);

        assertThat(Files.readString(env)).isEqualTo("JWT_SECRET=" + v2 + "\nJWT_SECRET_PREVIOUS=\n");
        assertThat(s.labels()).containsExactly("retired", "current");
        assertThat(stores.local().versions(s.storePath).get(0).destroyed()).isTrue();
    }

    @Test
    void compensatingUpdateRestoresLabelsAndTheFile() throws Exception {
        Path env = envFile();
        StepCommands s = new StepCommands(kafka, env, "local");
        s.run(s.command(STAGE_SECRET, FORWARD, 1, null, null, true));
        s.run(s.command(UPDATE_SECRET, FORWARD, 1, 1, 2, true));
        assertThat(Files.readString(env)).isNotEqualTo(ORIGINAL);

        StepResult undone = s.run(s.command(UPDATE_SECRET, COMPENSATE, 1, 1, 2, true));
        assertThat(undone).isInstanceOf(StepCompensated.class);
        assertThat(Files.readString(env)).isEqualTo(ORIGINAL);
        assertThat(s.labels()).containsExactly("current", "pending");

        assertThat(s.run(s.command(STAGE_SECRET, COMPENSATE, 1, 1, 2, true))).isInstanceOf(StepCompensated.class);
        assertThat(s.labels()).containsExactly("current", "retired");
        assertThat(Files.readString(env)).isEqualTo(ORIGINAL);
    }

    @Test
    void aRollbackMakesTheOldVersionCurrentAgainAndRestoresTheFileUntilThePreviousRetired() throws Exception {
        Path env = envFile();
        StepCommands s = new StepCommands(kafka, env, "local");
        s.run(s.command(STAGE_SECRET, FORWARD, 1, null, null, true));
        s.run(s.command(UPDATE_SECRET, FORWARD, 1, 1, 2, true));
        assertThat(s.labels()).containsExactly("previous", "current");

        StepCommands rollback = s.rollback();
        StepResult undone = rollback.run(rollback.command(UPDATE_SECRET, FORWARD, 1, 1, 2, true));
        assertThat(undone).isInstanceOfSatisfying(StepSucceeded.class, r -> {
            assertThat(r.rotationId()).isEqualTo(rollback.rotation);
            assertThat(r.fromVersion()).isEqualTo(1);
            assertThat(r.toVersion()).isEqualTo(2);
            assertThat(r.detail()).isEqualTo("version 1 is current again, version 2 is pending");
        });
        assertThat(Files.readString(env)).isEqualTo(ORIGINAL);
        assertThat(s.labels()).containsExactly("current", "pending");
        // Repeated (a redelivery): the same outcome.
        assertThat(rollback.run(rollback.command(UPDATE_SECRET, FORWARD, 2, 1, 2, true)))
                .isInstanceOf(StepSucceeded.class);
        assertThat(Files.readString(env)).isEqualTo(ORIGINAL);
        assertThat(s.labels()).containsExactly("current", "pending");

        // Once a rotation's previous version retired, it cannot be rolled back: refused, nothing changed.
        StepCommands later = new StepCommands(kafka, envFile(), "local");
        later.run(later.command(STAGE_SECRET, FORWARD, 1, null, null, true));
        later.run(later.command(UPDATE_SECRET, FORWARD, 1, 1, 2, true));
        later.run(later.command(RETIRE_PREVIOUS, FORWARD, 1, 1, 2, true));
        String retired = Files.readString(env);
        StepCommands tooLate = later.rollback();
        assertThat(tooLate.run(tooLate.command(UPDATE_SECRET, FORWARD, 1, 1, 2, true)))
                .isInstanceOfSatisfying(dev.rotor.contracts.messages.StepFailed.class, f -> {
                    assertThat(f.retryable()).isFalse();
                    assertThat(f.error()).isEqualTo("version 1 of jwt-secret is no longer kept as previous (retired"
                            + " or destroyed); nothing was changed");
                });
        assertThat(later.labels()).containsExactly("retired", "current");
        assertThat(Files.readString(env)).isEqualTo(retired);
    }

    @Test
    void anImmediateUpdateThatSucceededIsNotUndoneAnyMore() throws Exception {
        // Its undo copy is destroyed once it succeeds (design §10), so a late compensation changes nothing.
        Path env = envFile();
        StepCommands s = new StepCommands(kafka, env, "local");
        s.run(s.command(STAGE_SECRET, FORWARD, 1, null, null, false));
        s.run(s.command(UPDATE_SECRET, FORWARD, 1, 1, 2, false));
        String updated = Files.readString(env);

        assertThat(s.run(s.command(UPDATE_SECRET, COMPENSATE, 1, 1, 2, false)))
                .isInstanceOfSatisfying(dev.rotor.contracts.messages.StepFailed.class,
                        f -> assertThat(f.retryable()).isFalse());

        assertThat(s.labels()).containsExactly("retired", "current");
        assertThat(Files.readString(env)).isEqualTo(updated).doesNotContain("adopted-original");
    }

    @Test
    void aDuplicatedStageCreatesNoSecondPendingVersion() throws Exception {
        Path env = envFile();
        StepCommands s = new StepCommands(kafka, env, "local");
        var stage = s.command(STAGE_SECRET, FORWARD, 1, null, null, true);
        s.send(stage);
        s.send(stage);
        var replies = s.await(stage, 2);
        StepResult retry = s.run(s.command(STAGE_SECRET, FORWARD, 2, null, null, true));

        assertThat(replies).hasSize(2).allSatisfy(r -> assertThat(r).isInstanceOfSatisfying(StepSucceeded.class,
                ok -> assertThat(ok.toVersion()).isEqualTo(2)));
        assertThat(retry).isInstanceOfSatisfying(StepSucceeded.class, ok -> {
            assertThat(ok.fromVersion()).isEqualTo(1);
            assertThat(ok.toVersion()).isEqualTo(2);
        });
        assertThat(s.labels()).containsExactly("current", "pending");
    }
}

package dev.rotor.sync.steps;

import dev.rotor.contracts.catalog.GeneratorSpec;
import dev.rotor.contracts.catalog.SecretKind;
import dev.rotor.contracts.catalog.StoreRef;
import dev.rotor.contracts.catalog.Strategy;
import dev.rotor.contracts.catalog.TargetSpec;
import dev.rotor.contracts.messages.Direction;
import dev.rotor.contracts.messages.RotorMessage;
import dev.rotor.contracts.messages.Step;
import dev.rotor.contracts.messages.StepRequested;
import dev.rotor.contracts.messages.StepResult;
import dev.rotor.contracts.messages.StepSpec;
import dev.rotor.contracts.messages.Topics;
import dev.rotor.local.auth.TestAuth;
import dev.rotor.local.SigningKeysResource;
import io.restassured.RestAssured;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Builds the commands the orchestrator would send for one secret, and runs them through the real broker. */
class StepCommands {
    static final String SOURCE = "/rotor/test-orchestrator";
    final UUID rotation;
    final String storePath;
    private final Path envFile;
    private final String storeType;
    private final KafkaTestClient kafka;

    StepCommands(KafkaTestClient kafka, Path envFile, String storeType) {
        this(kafka, envFile, storeType, "it/" + UUID.randomUUID(), UUID.randomUUID());
    }

    private StepCommands(KafkaTestClient kafka, Path envFile, String storeType, String storePath, UUID rotation) {
        this.kafka = kafka;
        this.envFile = envFile;
        this.storeType = storeType;
        this.storePath = storePath;
        this.rotation = rotation;
    }

    /** The commands of a rollback of this rotation: a rotation of its own, on the same secret and targets. */
    StepCommands rollback() {
        return new StepCommands(kafka, envFile, storeType, storePath, UUID.randomUUID()) {
            @Override
            StepRequested command(Step step, Direction direction, int attempt, Integer from, Integer to,
                    boolean keep) {
                StepRequested cmd = super.command(step, direction, attempt, from, to, keep);
                return new StepRequested(cmd.rotationId(), step, attempt, direction,
                        cmd.spec().undoing(StepCommands.this.rotation), cmd.requestedAt());
            }
        };
    }

    StepRequested command(Step step, Direction direction, int attempt, Integer from, Integer to, boolean keep) {
        StepSpec spec = new StepSpec("jwt-secret", SecretKind.SIGNING_KEY, keep ? Strategy.DUAL_KEY
                : Strategy.IMMEDIATE, new GeneratorSpec("base64", 32, null, null),
                new StoreRef(storeType, storePath, null),
                List.of(new TargetSpec("env-file", envFile.toString(), "JWT_SECRET", "JWT_SECRET_PREVIOUS", null)),
                null, null, from, to, keep, false);
        return new StepRequested(rotation, step, attempt, direction, spec, Instant.now());
    }

    /** Sends the command and waits for its reply (matched on rotation, step, attempt and direction). */
    StepResult run(StepRequested cmd) throws Exception {
        send(cmd);
        return await(cmd, 1).get(0);
    }

    /** Sends the command signed with the test key the worker trusts, as the orchestrator's relay would. */
    void send(StepRequested cmd) throws Exception {
        kafka.send(signed(cmd));
    }

    static ProducerRecord<String, byte[]> signed(StepRequested cmd) {
        return SigningKeysResource.commandSigner().record(Topics.STEP_COMMANDS, cmd, SOURCE);
    }

    /** Waits until {@code count} replies to this command arrived, and returns them. */
    List<StepResult> await(StepRequested cmd, int count) {
        kafka.pollUntil(() -> replies(cmd).size() >= count);
        return replies(cmd);
    }

    List<StepResult> replies(StepRequested cmd) {
        return kafka.messagesFor(rotation).stream().filter(m -> m instanceof StepResult).map(m -> (StepResult) m)
                .filter(r -> r.step() == cmd.step() && r.direction() == cmd.direction()
                        && r.attempt() == cmd.attempt())
                .toList();
    }

    /** The labels over the read-only REST view, oldest version first. */
    List<String> labels() {
        return RestAssured.given().header("Authorization", TestAuth.bearer("service"))
                .get("/api/store/" + storePath + "/versions").then().statusCode(200)
                .extract().jsonPath().getList("label", String.class);
    }

    static String json(RotorMessage m) {
        return dev.rotor.contracts.messages.MessageCodec.encodeToString(m);
    }
}

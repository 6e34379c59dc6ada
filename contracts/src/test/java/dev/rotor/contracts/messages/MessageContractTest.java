package dev.rotor.contracts.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The wire format is a contract: every type round-trips, and encodes to exactly its committed fixture. To change a
 * fixture on purpose, add a new {@code .v2} type; run with {@code -Dfixtures.write=true} only for a brand-new type.
 */
class MessageContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Iterable<String> names() {
        return Samples.all().keySet().stream().sorted().toList();
    }

    @Test
    void everyRegisteredTypeHasASample() {
        assertThat(Samples.all().keySet().stream().map(n -> "dev.rotor." + n + ".v1"))
                .containsExactlyInAnyOrderElementsOf(MessageTypes.all().keySet());
    }

    @ParameterizedTest
    @MethodSource("names")
    void roundTrips(String name) {
        RotorMessage sample = Samples.all().get(name);
        RotorMessage back = MessageCodec.decode(sample.type(), MessageCodec.encode(sample));
        assertThat(back).isEqualTo(sample);
        assertThat(sample.type()).isEqualTo("dev.rotor." + name + ".v1");
    }

    @ParameterizedTest
    @MethodSource("names")
    void encodesToItsFixture(String name) throws IOException {
        RotorMessage sample = Samples.all().get(name);
        JsonNode encoded = JSON.readTree(MessageCodec.encode(sample));
        if (Boolean.getBoolean("fixtures.write")) {
            Files.writeString(Path.of("src/test/resources/fixtures", name + ".json"),
                    JSON.writerWithDefaultPrettyPrinter().writeValueAsString(encoded) + "\n");
        }
        JsonNode fixture = fixture(name);
        assertThat(encoded).isEqualTo(fixture);
        assertThat(MessageCodec.decode(sample.type(), JSON.writeValueAsBytes(fixture))).isEqualTo(sample);
    }

    @ParameterizedTest
    @MethodSource("names")
    void toleratesUnknownFields(String name) throws IOException {
        ObjectNode withExtra = (ObjectNode) fixture(name);
        withExtra.put("addedByANewerProducer", "ignored");
        withExtra.putObject("nested").put("x", 1);
        RotorMessage sample = Samples.all().get(name);
        assertThat(MessageCodec.decode(sample.type(), JSON.writeValueAsBytes(withExtra))).isEqualTo(sample);
    }

    static Iterable<String> milestoneNames() {
        return Samples.all().entrySet().stream().filter(e -> e.getValue() instanceof RotationEvent)
                .map(Map.Entry::getKey).sorted().toList();
    }

    /**
     * {@code parentId} is optional on every milestone: the committed fixtures (without it) still decode, to null, and
     * a child's milestone carries it and encodes to exactly its fixture plus that one field.
     */
    @ParameterizedTest
    @MethodSource("milestoneNames")
    void aMilestoneCarriesItsParentRotationOnlyWhenItHasOne(String name) throws IOException {
        RotationEvent sample = (RotationEvent) Samples.all().get(name);
        assertThat(sample.parentId()).isNull();
        ObjectNode child = (ObjectNode) fixture(name);
        child.put("parentId", "7d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d");
        RotationEvent decoded = (RotationEvent) MessageCodec.decode(sample.type(), JSON.writeValueAsBytes(child));
        assertThat(decoded.parentId()).isEqualTo(java.util.UUID.fromString("7d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d"));
        assertThat(JSON.readTree(MessageCodec.encode(decoded))).isEqualTo(child);
        assertThat(decoded.rotationId()).isEqualTo(sample.rotationId());
    }

    /** A column's {@code json-path} travels in the REENCRYPT command; a column without one writes no such key. */
    @Test
    void aReencryptCommandCarriesAColumnsJsonPathOnlyWhenItHasOne() throws IOException {
        var columns = java.util.List.of(
                new dev.rotor.contracts.catalog.ColumnSpec("integrations", "id", "settings", null, "token",
                        "$.credentials.token"),
                new dev.rotor.contracts.catalog.ColumnSpec("credentials", "id", "value_ciphertext", null, null));
        StepSpec spec = new StepSpec("app-key", null, dev.rotor.contracts.catalog.Strategy.OFFLINE_REENCRYPT, null,
                new dev.rotor.contracts.catalog.StoreRef("vault", "app/key", null), java.util.List.of(), null,
                new dev.rotor.contracts.catalog.ReencryptSpec("app", "lockbox", "atomic", columns), 1, 2, false, false);
        StepRequested command = new StepRequested(Samples.ROTATION, Step.REENCRYPT, 1, Direction.FORWARD, spec,
                java.time.Instant.parse("2026-11-22T02:00:00Z"));
        JsonNode wire = JSON.readTree(MessageCodec.encode(command));
        JsonNode written = wire.path("spec").path("reencrypt").path("columns");
        assertThat(written.get(0).path("json-path").asText()).isEqualTo("$.credentials.token");
        assertThat(written.get(1).has("json-path")).isFalse();
        assertThat(MessageCodec.decode(command.type(), JSON.writeValueAsBytes(wire))).isEqualTo(command);
    }

    @Test
    void refusesMalformedRecordsNamingTheProblemWithoutQuotingThePayload() {
        String type = "dev.rotor.step-failed.v1";
        assertThatThrownBy(() -> MessageCodec.decode(type, "not json, hunter2".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("is not JSON")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> MessageCodec.decode("dev.rotor.nope.v1", "{}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("unknown message type");
        assertThatThrownBy(() -> MessageCodec.decode((String) null, "{}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("missing ce_type");
        assertThatThrownBy(() -> MessageCodec.decode(type,
                "{\"rotationId\":\"5b0c7f3e-2a51-4a8e-9c1d-0f6b2d9e4a10\",\"step\":\"STAGE_SECRET\",\"attempt\":1,"
                        .concat("\"direction\":\"FORWARD\",\"occurredAt\":\"2026-11-22T02:00:00Z\"}")
                        .getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("missing required field 'error'");
        assertThatThrownBy(() -> MessageCodec.decode(type,
                "{\"rotationId\":\"s3cr3t-not-a-uuid\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("rotationId")
                .hasMessageNotContaining("s3cr3t");
    }

    @Test
    void envelopeCarriesTypeSubjectAndKey() {
        RotorMessage sample = Samples.all().get("secret-updated");
        var record = KafkaEnvelope.record(Topics.ROTATIONS, sample, "/rotor/test");
        assertThat(record.key()).isEqualTo(Samples.ROTATION.toString());
        assertThat(KafkaEnvelope.header(record.headers(), CloudEvents.TYPE)).isEqualTo("dev.rotor.secret-updated.v1");
        assertThat(KafkaEnvelope.header(record.headers(), CloudEvents.SUBJECT)).isEqualTo(Samples.ROTATION.toString());
        assertThat(KafkaEnvelope.header(record.headers(), CloudEvents.SPEC_VERSION)).isEqualTo("1.0");
        assertThat(KafkaEnvelope.read(record.headers(), record.value())).isEqualTo(sample);
    }

    private static JsonNode fixture(String name) throws IOException {
        try (InputStream in = MessageContractTest.class.getResourceAsStream("/fixtures/" + name + ".json")) {
            assertThat(in).as("fixture %s.json", name).isNotNull();
            return JSON.readTree(in);
        }
    }

    @Test
    void aStepCommandCarriesItsStepAsAHintThatOnlyLetsOtherWorkersPassItOver() {
        var command = KafkaEnvelope.record(Topics.STEP_COMMANDS, Samples.all().get("step-requested"), "/rotor/test");
        assertThat(KafkaEnvelope.header(command.headers(), CloudEvents.STEP)).isEqualTo("UPDATE_SECRET");
        assertThat(KafkaEnvelope.hintedStepIn(command.headers(), Set.of(Step.STAGE_SECRET, Step.UPDATE_SECRET)))
                .isTrue();
        assertThat(KafkaEnvelope.hintedStepIn(command.headers(), Set.of(Step.REENCRYPT, Step.CHECK_BACKUP)))
                .isFalse();

        // Events carry no hint; a command without one, or with one that names no step, is read in full.
        var event = KafkaEnvelope.record(Topics.ROTATIONS, Samples.all().get("secret-updated"), "/rotor/test");
        assertThat(event.headers().lastHeader(CloudEvents.STEP)).isNull();
        assertThat(KafkaEnvelope.hintedStepIn(event.headers(), Set.of(Step.values()))).isFalse();
        command.headers().remove(CloudEvents.STEP);
        command.headers().add(CloudEvents.STEP, "NOT_A_STEP".getBytes(StandardCharsets.UTF_8));
        assertThat(KafkaEnvelope.hintedStepIn(command.headers(), Set.of(Step.values()))).isFalse();
        assertThat(KafkaEnvelope.hintedStepIn(null, Set.of(Step.values()))).isFalse();
    }
}

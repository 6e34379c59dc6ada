package dev.rotor.sync.steps;

import static dev.rotor.contracts.messages.Direction.FORWARD;
import static dev.rotor.contracts.messages.Step.STAGE_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.contracts.messages.CloudEvents;
import dev.rotor.contracts.messages.KafkaEnvelope;
import dev.rotor.contracts.messages.StepRequested;
import dev.rotor.contracts.messages.StepSucceeded;
import dev.rotor.contracts.messages.Topics;
import dev.rotor.local.KafkaResource;
import dev.rotor.local.auth.AuthResource;
import dev.rotor.local.SigningKeysResource;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker's side of a rotation's trace, through the real broker: a command that arrives with the orchestrator's
 * relay span in its {@code traceparent} is received and handled below that span, and the reply goes out below the
 * handling span, in the same trace, with the handling span as its CloudEvents {@code ce_traceparent}. The
 * orchestrator's side of the same hops is the orchestrator's {@code TracingTest}.
 */
@QuarkusTest
@QuarkusTestResource(AuthResource.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(TempHomeResource.class)
@QuarkusTestResource(value = SigningKeysResource.class,
        initArgs = @ResourceArg(name = "role", value = SigningKeysResource.WORKER))
class TracingTest {
    /** The orchestrator's relay span that sent the command (trace id, span id), as its record header says. */
    static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String RELAY_SPAN = "00f067aa0ba902b7";

    @TempDir
    Path dir;
    private KafkaTestClient kafka;

    @BeforeEach
    void record() {
        RecordedSpans.record();
        kafka = new KafkaTestClient(KafkaResource.clientConfig(), Topics.STEP_RESULTS);
    }

    @AfterEach
    void stop() {
        kafka.close();
        RecordedSpans.stop();
    }

    @Test
    void aCommandIsHandledAndAnsweredInTheTraceOfTheOrchestratorsSend() throws Exception {
        Path env = Files.writeString(dir.resolve(".env"), "JWT_SECRET=adopted-original\nJWT_SECRET_PREVIOUS=\n");
        StepCommands s = new StepCommands(kafka, env, "local");
        StepRequested stage = s.command(STAGE_SECRET, FORWARD, 1, null, null, true);
        ProducerRecord<String, byte[]> command = StepCommands.signed(stage);
        command.headers().add(CloudEvents.W3C_TRACE_PARENT,
                ("00-" + TRACE + "-" + RELAY_SPAN + "-01").getBytes(StandardCharsets.UTF_8));
        kafka.send(command);

        ConsumerRecord<String, byte[]> reply = kafka.awaitRecord(r -> stage.rotationId().toString().equals(r.key()));
        assertThat(KafkaEnvelope.read(reply.headers(), reply.value())).isInstanceOf(StepSucceeded.class);

        SpanData received = await(x -> x.getKind() == SpanKind.CONSUMER && x.getTraceId().equals(TRACE));
        assertThat(received.getParentSpanId()).isEqualTo(RELAY_SPAN);
        SpanData handled = await(x -> x.getName().equals("handle STAGE_SECRET FORWARD"));
        assertThat(handled.getTraceId()).isEqualTo(TRACE);
        assertThat(handled.getParentSpanId()).isEqualTo(received.getSpanId());
        SpanData sent = await(x -> x.getKind() == SpanKind.PRODUCER && x.getTraceId().equals(TRACE));
        assertThat(sent.getParentSpanId()).isEqualTo(handled.getSpanId());

        // The reply's headers: the send span for the next hop, the handling span as the CloudEvents extension.
        assertThat(ids(KafkaEnvelope.header(reply.headers(), CloudEvents.W3C_TRACE_PARENT)))
                .isEqualTo(TRACE + "-" + sent.getSpanId());
        assertThat(ids(KafkaEnvelope.header(reply.headers(), CloudEvents.TRACE_PARENT)))
                .isEqualTo(TRACE + "-" + handled.getSpanId());
        // References only: the adopted value (now version 1 in the store) is in no span.
        assertThat(RecordedSpans.finished()).allSatisfy(x -> assertThat(x.getAttributes().asMap().values())
                .noneMatch(v -> String.valueOf(v).contains("adopted-original")));
    }

    private static String ids(String traceparent) {
        return traceparent == null ? null : traceparent.substring(3, 3 + 32 + 1 + 16);
    }

    private static SpanData await(Predicate<SpanData> match) {
        return Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> RecordedSpans.finished().stream().filter(match).findFirst(), Optional::isPresent)
                .orElseThrow();
    }
}

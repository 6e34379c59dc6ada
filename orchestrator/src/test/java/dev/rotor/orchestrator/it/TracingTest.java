package dev.rotor.orchestrator.it;

import static dev.rotor.contracts.messages.Direction.FORWARD;
import static dev.rotor.contracts.messages.Step.STAGE_SECRET;
import static dev.rotor.contracts.messages.Step.UPDATE_SECRET;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.contracts.messages.CloudEvents;
import dev.rotor.contracts.messages.KafkaEnvelope;
import dev.rotor.contracts.messages.StepRequested;
import dev.rotor.contracts.messages.Topics;
import dev.rotor.local.auth.AuthResource;
import dev.rotor.local.auth.TestAuth;
import dev.rotor.local.KafkaResource;
import dev.rotor.local.PostgresResource;
import dev.rotor.local.SigningKeysResource;
import dev.rotor.contracts.messages.RotationRequestSubmitted;
import dev.rotor.contracts.messages.Trigger;
import java.time.Instant;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One trace per rotation, through the real broker and PostgreSQL, with the test as secret-sync: the REST request's
 * span is the root, the outbox relay sends each command and milestone as a child of the work that wrote it, and a
 * worker's reply (which carries the worker's span in its {@code traceparent}) continues the trace into the next
 * command. The worker side of the same hop is secret-sync's {@code TracingTest}.
 */
@QuarkusTest
@QuarkusTestResource(AuthResource.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "orchestrator"))
@QuarkusTestResource(value = SigningKeysResource.class,
        initArgs = @ResourceArg(name = "role", value = SigningKeysResource.ORCHESTRATOR))
class TracingTest {
    @jakarta.inject.Inject
    dev.rotor.orchestrator.schedule.ScheduledRuns runs;
    private Flow flow;

    @BeforeEach
    void record() {
        RecordedSpans.record();
        flow = new Flow();
    }

    @AfterEach
    void stop() {
        flow.close();
        RecordedSpans.stop();
    }

    @Test
    void aRotationIsOneTraceFromTheRequestThroughTheOutboxAndTheRepliesToItsMilestones() {
        String bearer = TestAuth.bearer("operator");
        UUID id = UUID.fromString(given().header("Authorization", bearer).contentType(ContentType.JSON)
                .body("{\"secretId\":\"orch-traced\",\"trigger\":\"MANUAL\",\"reason\":\"test\"}")
                .post("/api/rotations").then().statusCode(202).extract().path("id"));

        // The request: a server span with no parent (the client sent no trace context).
        SpanData request = await(s -> s.getKind() == SpanKind.SERVER && "POST".equals(attribute(s, "http.request.method"))
                && String.valueOf(attribute(s, "http.route")).equals("/api/rotations"));
        assertThat(request.getParentSpanContext().isValid()).isFalse();
        String trace = request.getTraceId();

        // The request writes the STAGE command to the outbox; the relay sends it later, in a span below the request.
        ConsumerRecord<String, byte[]> stage = command(id, STAGE_SECRET);
        SpanData stagePublish = publishSpanOf(stage);
        assertThat(stagePublish.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(stagePublish.getTraceId()).isEqualTo(trace);
        assertThat(stagePublish.getParentSpanId()).isEqualTo(request.getSpanId());
        // The CloudEvents distributed-tracing extension holds the context that created the event (the request's);
        // the W3C header the hop's (the relay's span), which the worker's consumer continues.
        assertThat(ids(header(stage, CloudEvents.TRACE_PARENT))).isEqualTo(ids(trace, request.getSpanId()));
        assertThat(ids(header(stage, CloudEvents.W3C_TRACE_PARENT)))
                .isEqualTo(ids(trace, stagePublish.getSpanId()));

        // The worker replies in its own span below the command's (as secret-sync does), so in the same trace.
        String workerSpan = spanId();
        reply(((StepRequested) KafkaProbe.read(stage)).succeeded(1, 2, "staged"), traceparent(trace, workerSpan));
        SpanData received = await(s -> s.getKind() == SpanKind.CONSUMER && s.getParentSpanId().equals(workerSpan));
        assertThat(received.getTraceId()).isEqualTo(trace);
        SpanData applied = await(s -> s.getName().equals("apply " + "dev.rotor.step-succeeded.v1")
                && s.getParentSpanId().equals(received.getSpanId()));

        // The next command, and the milestone of the reply, are children of the span that applied it.
        ConsumerRecord<String, byte[]> update = command(id, UPDATE_SECRET);
        assertThat(ids(header(update, CloudEvents.TRACE_PARENT))).isEqualTo(ids(trace, applied.getSpanId()));
        assertThat(publishSpanOf(update).getParentSpanId()).isEqualTo(applied.getSpanId());
        List<ConsumerRecord<String, byte[]>> milestones = flow.events.await(id.toString(), rs -> rs.stream()
                .anyMatch(r -> "dev.rotor.secret-staged.v1".equals(header(r, CloudEvents.TYPE))));
        assertThat(milestones).allSatisfy(r -> {
            assertThat(header(r, CloudEvents.TRACE_PARENT)).startsWith("00-" + trace + "-");
            assertThat(publishSpanOf(r).getTraceId()).isEqualTo(trace);
        });
        assertThat(header(milestones.get(0), CloudEvents.TYPE)).isEqualTo("dev.rotor.rotation-requested.v1");
        assertThat(ids(header(milestones.get(0), CloudEvents.TRACE_PARENT)))
                .isEqualTo(ids(trace, request.getSpanId()));

        reply(((StepRequested) KafkaProbe.read(update)).succeeded(1, 2, "updated"), traceparent(trace, spanId()));
        Api.awaitState(id, "COMPLETED");
        ConsumerRecord<String, byte[]> completed = flow.events.await(id.toString(), rs -> rs.stream()
                .anyMatch(r -> "dev.rotor.rotation-completed.v1".equals(header(r, CloudEvents.TYPE)))).stream()
                .filter(r -> "dev.rotor.rotation-completed.v1".equals(header(r, CloudEvents.TYPE))).findFirst()
                .orElseThrow();
        assertThat(publishSpanOf(completed).getTraceId()).isEqualTo(trace);

        // Nothing secret in a span: not the bearer token, nor the CloudEvents signature of a command.
        String token = bearer.substring("Bearer ".length());
        assertThat(RecordedSpans.finished()).allSatisfy(s -> assertThat(s.getAttributes().asMap().values())
                .noneMatch(v -> String.valueOf(v).contains(token))
                .noneMatch(v -> String.valueOf(v).contains(header(stage, "ce_rotorsig"))));
    }

    @Test
    void aScheduledRotationIsOneTraceWhoseRootIsItsScheduleSpan() {
        // What the schedule's ticker does at a fire time (the entry has no cron of its own, so nothing else starts it).
        runs.run("orch-schedule-traced", Instant.now(), Trigger.SCHEDULED).await().atMost(Duration.ofSeconds(30));
        UUID id = UUID.fromString(rotationsOf("orch-schedule-traced").get(0));

        ConsumerRecord<String, byte[]> stage = command(id, STAGE_SECRET);
        String[] created = header(stage, CloudEvents.TRACE_PARENT).split("-");
        SpanData schedule = await(s -> s.getSpanId().equals(created[2]));
        assertThat(schedule.getName()).isEqualTo("schedule orch-schedule-traced");
        assertThat(schedule.getParentSpanContext().isValid()).as("the root of the rotation's trace").isFalse();
        assertThat(schedule.getTraceId()).isEqualTo(created[1]);
        assertThat(publishSpanOf(stage).getParentSpanId()).isEqualTo(schedule.getSpanId());
        // Its milestone rotation-requested was written in the same span.
        ConsumerRecord<String, byte[]> requested = flow.events.await(id.toString(), rs -> !rs.isEmpty()).get(0);
        assertThat(header(requested, CloudEvents.TYPE)).isEqualTo("dev.rotor.rotation-requested.v1");
        assertThat(ids(header(requested, CloudEvents.TRACE_PARENT))).isEqualTo(ids(schedule.getTraceId(),
                schedule.getSpanId()));
        Api.abort(id).then().statusCode(202);
        Flow.reply(((StepRequested) KafkaProbe.read(stage)).succeeded(1, 2, "staged"));
    }

    @Test
    void aRotationRequestedOnTheRequestTopicContinuesTheTraceOfItsRecord() {
        String trace = HexFormat.of().formatHex(java.nio.ByteBuffer.allocate(16)
                .putLong(ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE))
                .putLong(ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE)).array());
        String bridgeSpan = spanId();
        RotationRequestSubmitted request = new RotationRequestSubmitted(UUID.randomUUID(), "orch-request-traced",
                Trigger.MANUAL, "asked in chat", "alice", "slack", Instant.now());
        KafkaProbe.ensureTopics();
        ProducerRecord<String, byte[]> signed = SigningKeysResource.bridgeSigner().record(Topics.ROTATION_REQUESTS,
                request, "/rotor/test-chat-ops");
        signed.headers().add(CloudEvents.W3C_TRACE_PARENT, traceparent(trace, bridgeSpan)
                .getBytes(StandardCharsets.UTF_8));
        KafkaProbe.send(signed);

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !rotationsOf("orch-request-traced").isEmpty());
        UUID id = UUID.fromString(rotationsOf("orch-request-traced").get(0));
        SpanData span = await(s -> s.getName().equals("request orch-request-traced"));
        assertThat(span.getTraceId()).isEqualTo(trace);
        assertThat(span.getParentSpanId()).isEqualTo(bridgeSpan);
        ConsumerRecord<String, byte[]> stage = command(id, STAGE_SECRET);
        assertThat(ids(header(stage, CloudEvents.TRACE_PARENT))).isEqualTo(ids(trace, span.getSpanId()));
        assertThat(publishSpanOf(stage).getTraceId()).isEqualTo(trace);
        Api.abort(id).then().statusCode(202);
        Flow.reply(((StepRequested) KafkaProbe.read(stage)).succeeded(1, 2, "staged"));
    }

    private static List<String> rotationsOf(String secretId) {
        return Api.given("viewer").get("/api/rotations?limit=500").then().statusCode(200).extract()
                .path("findAll { it.secretId == '" + secretId + "' }.id");
    }

    @Test
    void theLoginLinksTokenIsNotRecorded() {
        String token = TestAuth.bearer("viewer").substring("Bearer ".length());
        given().redirects().follow(false).get("/login?token=" + token).then().statusCode(303);
        given().header("Authorization", "Bearer " + token).get("/api/rotations").then().statusCode(200);
        // Both requests have their spans; the login's keeps the query's parameter names only.
        SpanData login = await(s -> s.getKind() == SpanKind.SERVER && "/login".equals(attribute(s, "url.path")));
        assertThat(attribute(login, "url.query")).isEqualTo("token=REDACTED");
        await(s -> s.getKind() == SpanKind.SERVER && "/api/rotations".equals(attribute(s, "http.route")));
        assertThat(RecordedSpans.finished()).allSatisfy(s -> assertThat(s.getAttributes().asMap().values())
                .noneMatch(v -> String.valueOf(v).contains(token)));
    }

    private ConsumerRecord<String, byte[]> command(UUID id, dev.rotor.contracts.messages.Step step) {
        Predicate<ConsumerRecord<String, byte[]>> isStep = r -> KafkaProbe.read(r) instanceof StepRequested c
                && c.step() == step && c.direction() == FORWARD;
        return flow.commands.await(id.toString(), rs -> rs.stream().anyMatch(isStep)).stream().filter(isStep)
                .findFirst().orElseThrow();
    }

    /** The relay's producer span that sent {@code record}: its context is the record's W3C traceparent. */
    private static SpanData publishSpanOf(ConsumerRecord<String, byte[]> record) {
        String[] parts = header(record, CloudEvents.W3C_TRACE_PARENT).split("-");
        return await(s -> s.getTraceId().equals(parts[1]) && s.getSpanId().equals(parts[2])
                && s.getName().equals("publish " + record.topic()));
    }

    private static void reply(dev.rotor.contracts.messages.RotorMessage result, String traceparent) {
        ProducerRecord<String, byte[]> record = KafkaEnvelope.record(Topics.STEP_RESULTS, result, KafkaProbe.SOURCE);
        record.headers().add(CloudEvents.W3C_TRACE_PARENT, traceparent.getBytes(StandardCharsets.UTF_8));
        KafkaProbe.send(record);
    }

    private static SpanData await(Predicate<SpanData> match) {
        try {
            return Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> RecordedSpans.finished().stream().filter(match).findFirst(), Optional::isPresent)
                    .orElseThrow();
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("no such span among: " + RecordedSpans.finished().stream()
                    .map(s -> s.getKind() + " " + s.getName() + " " + s.getTraceId() + "/" + s.getSpanId() + " < "
                            + s.getParentSpanId() + " " + s.getAttributes())
                    .toList(), e);
        }
    }

    private static Object attribute(SpanData span, String key) {
        return span.getAttributes().asMap().entrySet().stream().filter(e -> e.getKey().getKey().equals(key))
                .map(java.util.Map.Entry::getValue).findFirst().orElse(null);
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return KafkaProbe.header(record, name);
    }

    /** "trace id-span id" of a traceparent: the flags vary (the random-trace-id flag of W3C level 2). */
    private static String ids(String traceId, String spanId) {
        return traceId + "-" + spanId;
    }

    private static String ids(String traceparent) {
        return traceparent == null ? null : traceparent.substring(3, 3 + 32 + 1 + 16);
    }

    private static String traceparent(String traceId, String spanId) {
        return "00-" + traceId + "-" + spanId + "-01";
    }

    private static String spanId() {
        return HexFormat.of().formatHex(java.nio.ByteBuffer.allocate(8)
                .putLong(ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE)).array());
    }
}

package dev.rotor.orchestrator.it;

import static dev.rotor.contracts.messages.Direction.COMPENSATE;
import static dev.rotor.contracts.messages.Direction.FORWARD;
import static dev.rotor.contracts.messages.Step.RETIRE_PREVIOUS;
import static dev.rotor.contracts.messages.Step.STAGE_SECRET;
import static dev.rotor.contracts.messages.Step.UPDATE_SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotor.contracts.audit.AuditChain;
import dev.rotor.contracts.audit.AuditEntry;
import dev.rotor.contracts.messages.AuditCheckpoint;
import dev.rotor.contracts.messages.CloudEvents;
import dev.rotor.contracts.messages.StepRequested;
import dev.rotor.contracts.messages.Topics;
import dev.rotor.local.KafkaResource;
import dev.rotor.local.PostgresResource;
import dev.rotor.local.auth.AuthResource;
import dev.rotor.orchestrator.audit.AuditCheckpoints;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The audit log of real rotations: every request, transition, abort and refused call has its entry, written by the
 * transaction that made the change, and the entries chain; the orchestrator's own database role cannot change them;
 * the API filters; the head goes out as a checkpoint on the real broker.
 */
@QuarkusTest
@QuarkusTestResource(AuthResource.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "orchestrator"))
class AuditTrailTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Flow flow = new Flow();

    @Inject
    AgroalDataSource dataSource;
    @Inject
    AuditCheckpoints checkpoints;

    @AfterEach
    void close() {
        flow.close();
    }

    @Test
    void aRotationsLifecycleIsAuditedInOrderAndChained() throws Exception {
        UUID id = Api.start("orch-audit", "MANUAL");
        Flow.reply(flow.await(id, STAGE_SECRET, FORWARD, 1).succeeded(1, 2, "version 2 staged"));
        Flow.reply(flow.await(id, UPDATE_SECRET, FORWARD, 1).succeeded(1, 2, "version 2 current"));
        Api.awaitState(id, "COMPLETED");
        // grace 2s: the retirement follows on its own timer.
        Flow.reply(flow.await(id, RETIRE_PREVIOUS, FORWARD, 1).succeeded(1, 2, "version 1 destroyed"));
        List<JsonNode> entries = awaitEntries("rotation=" + id, "previous-retired");

        assertThat(entries).extracting(e -> e.get("kind").asText() + stepOf(e)).containsExactly(
                "rotation-requested", "rotation-started", "step-started STAGE_SECRET/FORWARD#1",
                "step-succeeded STAGE_SECRET/FORWARD#1", "step-started UPDATE_SECRET/FORWARD#1",
                "step-succeeded UPDATE_SECRET/FORWARD#1", "rotation-completed",
                "step-started RETIRE_PREVIOUS/FORWARD#1", "step-succeeded RETIRE_PREVIOUS/FORWARD#1",
                "previous-retired");
        JsonNode requested = entries.get(0);
        assertThat(requested.get("subject").asText()).isEqualTo("test-responder");
        assertThat(requested.get("roles")).extracting(JsonNode::asText)
                .containsExactly("operator", "responder", "viewer");
        assertThat(requested.get("source").asText()).isEqualTo("rest");
        assertThat(requested.get("reason").asText()).isEqualTo("test");
        assertThat(requested.get("clientAddress").asText()).isEqualTo("127.0.0.1");
        assertThat(requested.get("secretId").asText()).isEqualTo("orch-audit");
        assertThat(requested.get("detail").get("trigger").asText()).isEqualTo("MANUAL");
        assertThat(requested.get("detail").get("strategy").asText()).isEqualTo("dual-key");
        assertThat(entries.get(3).get("detail").get("toVersion").asInt()).isEqualTo(2);
        assertThat(entries.get(6).get("detail").get("to").asText()).isEqualTo("COMPLETED");
        assertThat(entries.get(9).get("detail").get("fromVersion").asInt()).isEqualTo(1);
        assertThat(entries).allSatisfy(e -> assertThat(e.get("rotationId").asText()).isEqualTo(id.toString()));
        assertThat(entries.subList(1, entries.size())).allSatisfy(e -> {
            assertThat(e.get("subject").asText()).isEqualTo("orchestrator");
            assertThat(e.get("source").asText()).isEqualTo("engine");
        });

        // Each hash is SHA-256(prev_hash || canonical JSON) of exactly what the API shows; consecutive seqs link.
        for (JsonNode e : entries) {
            assertThat(AuditChain.hash(e.get("prevHash").asText(), entry(e))).as("entry %s", e.get("seq"))
                    .isEqualTo(e.get("hash").asText());
        }
        for (int i = 1; i < entries.size(); i++) {
            if (entries.get(i).get("seq").asLong() == entries.get(i - 1).get("seq").asLong() + 1) {
                assertThat(entries.get(i).get("prevHash").asText()).isEqualTo(entries.get(i - 1).get("hash").asText());
            }
        }
        AuditVerify.Outcome verified = AuditVerify.run("orchestrator");
        assertThat(verified.code()).as(verified.output()).isZero();
        assertThat(verified.output()).startsWith("audit chain OK: ");
    }

    @Test
    void compensationsFailuresManualStepsAndAbortsAreAudited() {
        UUID failing = Api.start("orch-audit-fail", "MANUAL");
        Flow.reply(flow.await(failing, STAGE_SECRET, FORWARD, 1).succeeded(1, 2, "staged"));
        Flow.reply(flow.await(failing, UPDATE_SECRET, FORWARD, 1).failed(false, "target file is read-only"));
        Flow.reply(flow.await(failing, UPDATE_SECRET, COMPENSATE, 1).failed(false, "target file is still read-only"));
        Api.awaitState(failing, "FAILED");
        List<JsonNode> failed = awaitEntries("rotation=" + failing, "manual-steps");
        assertThat(failed).extracting(e -> e.get("kind").asText() + stepOf(e)).containsSubsequence(
                "step-failed UPDATE_SECRET/FORWARD#1", "compensation-started",
                "step-started UPDATE_SECRET/COMPENSATE#1", "step-failed UPDATE_SECRET/COMPENSATE#1", "rotation-failed",
                "manual-steps");
        JsonNode forwardFailure = failed.stream().filter(e -> "step-failed".equals(e.get("kind").asText()))
                .findFirst().orElseThrow();
        assertThat(forwardFailure.get("detail").get("error").asText()).isEqualTo("target file is read-only");
        assertThat(forwardFailure.get("detail").get("retrying").asBoolean()).isFalse();
        JsonNode manual = failed.get(failed.size() - 1);
        assertThat(manual.get("detail").get("steps").size()).isPositive();

        UUID aborted = Api.start("orch-audit-abort", "MANUAL");
        StepRequested stage = flow.await(aborted, STAGE_SECRET, FORWARD, 1);
        Api.abort(aborted).then().statusCode(202);
        Flow.reply(flow.await(aborted, STAGE_SECRET, COMPENSATE, 1).compensated("pending discarded"));
        Flow.reply(stage.succeeded(1, 2, "late"));
        Api.awaitState(aborted, "ROLLED_BACK");
        List<JsonNode> abort = awaitEntries("rotation=" + aborted, "rotation-rolled-back");
        assertThat(abort).extracting(e -> e.get("kind").asText() + stepOf(e)).containsExactly("rotation-requested",
                "rotation-started", "step-started STAGE_SECRET/FORWARD#1", "rotation-aborted",
                "step-failed STAGE_SECRET/FORWARD#1", "compensation-started",
                "step-started STAGE_SECRET/COMPENSATE#1", "step-compensated STAGE_SECRET/COMPENSATE#1",
                "rotation-rolled-back");
        JsonNode abortEntry = abort.get(3);
        assertThat(abortEntry.get("subject").asText()).isEqualTo("test-responder");
        assertThat(abortEntry.get("source").asText()).isEqualTo("rest");
        assertThat(abortEntry.get("clientAddress").asText()).isEqualTo("127.0.0.1");
        assertThat(abort.get(4).get("detail").get("error").asText()).isEqualTo("aborted by request");
    }

    @Test
    void aRefusedMutatingCallIsAuditedAndARefusedReadIsNot() {
        Instant before = Instant.now().minusSeconds(1);
        UUID someRotation = UUID.randomUUID();
        Api.given("viewer").contentType(ContentType.JSON)
                .body("{\"secretId\":\"orch-audit\",\"trigger\":\"MANUAL\",\"reason\":\"not mine\"}")
                .post("/api/rotations").then().statusCode(403);
        Api.given("operator").post("/api/rotations/" + someRotation + "/abort").then().statusCode(403);
        Api.given("service").get("/api/audit").then().statusCode(403);

        List<JsonNode> refused = entries("since=" + before).stream()
                .filter(e -> "request-refused".equals(e.get("kind").asText())).toList();
        assertThat(refused).extracting(e -> e.get("subject").asText() + " " + e.at("/detail/method").asText() + " "
                + e.at("/detail/path").asText() + " needs " + e.at("/detail/requiredRole").asText()).containsExactly(
                "test-viewer POST /api/rotations needs operator",
                "test-operator POST /api/rotations/" + someRotation + "/abort needs responder");
        assertThat(refused.get(0).get("roles")).extracting(JsonNode::asText).containsExactly("viewer");
        assertThat(refused.get(0).get("clientAddress").asText()).isEqualTo("127.0.0.1");
        assertThat(refused.get(1).get("rotationId").asText()).isEqualTo(someRotation.toString());
        assertThat(refused).noneMatch(e -> e.get("subject").asText().equals("test-service"));
    }

    @Test
    void theOrchestratorsOwnDatabaseRoleCannotChangeOrRemoveEntries() throws SQLException {
        refuseOne();
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            long seq;
            try (ResultSet rs = st.executeQuery("select max(seq) from audit_entry")) {
                rs.next();
                seq = rs.getLong(1);
            }
            assertThatThrownBy(() -> st.executeUpdate("update audit_entry set subject = 'mallory' where seq = " + seq))
                    .hasMessageContaining("audit_entry is append-only: UPDATE refused");
            assertThatThrownBy(() -> st.executeUpdate("delete from audit_entry where seq = " + seq))
                    .hasMessageContaining("audit_entry is append-only: DELETE refused");
            assertThatThrownBy(() -> st.executeUpdate("truncate audit_entry"))
                    .hasMessageContaining("audit_entry is append-only: TRUNCATE refused");
            assertThatThrownBy(() -> st.executeUpdate("update audit_head set seq = 0"))
                    .hasMessageContaining("audit_head only moves forward");
            assertThatThrownBy(() -> st.executeUpdate("delete from audit_head"))
                    .hasMessageContaining("audit_head only moves forward");
            try (ResultSet rs = st.executeQuery("select subject from audit_entry where seq = " + seq)) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isNotEqualTo("mallory");
            }
        }
    }

    @Test
    void theApiFiltersBySecretRotationTimeAndPosition() {
        UUID id = Api.start("orch-audit-abort", "MANUAL");
        Api.abort(id).then().statusCode(202);
        Flow.reply(flow.await(id, STAGE_SECRET, COMPENSATE, 1).compensated("pending discarded"));
        Api.awaitState(id, "ROLLED_BACK");
        List<JsonNode> ofRotation = awaitEntries("rotation=" + id, "rotation-rolled-back");

        assertThat(entries("secret=orch-audit-abort")).allSatisfy(e -> assertThat(e.get("secretId").asText())
                .isEqualTo("orch-audit-abort")).extracting(e -> e.get("seq").asLong())
                .contains(ofRotation.get(0).get("seq").asLong());
        long third = ofRotation.get(2).get("seq").asLong();
        assertThat(entries("rotation=" + id + "&after=" + (third - 1) + "&limit=2"))
                .extracting(e -> e.get("seq").asLong()).containsExactly(third, ofRotation.get(3).get("seq").asLong());
        String since = ofRotation.get(ofRotation.size() - 1).get("at").asText();
        // The compensation's reply wrote both, in one transaction, at one time.
        assertThat(entries("rotation=" + id + "&since=" + since)).extracting(e -> e.get("kind").asText())
                .containsExactly("step-compensated", "rotation-rolled-back");
        assertThat(entries("secret=no-such-secret")).isEmpty();

        for (String bad : List.of("rotation=nope", "since=yesterday", "limit=0", "limit=1001", "after=-1")) {
            String name = bad.substring(0, bad.indexOf('='));
            Api.given("viewer").get("/api/audit?" + bad).then().statusCode(400)
                    .contentType("application/problem+json").body("detail", containsString("'" + name + "'"));
        }
    }

    @Test
    void theHeadIsPublishedAsACheckpointOnTheRotationsTopic() throws Throwable {
        refuseOne();
        try (KafkaProbe rotations = KafkaProbe.on(Topics.ROTATIONS); Connection c = dataSource.getConnection();
                Statement st = c.createStatement()) {
            AuditCheckpoint published = VertxContextSupport.subscribeAndAwait(() -> checkpoints.publish());
            try (ResultSet rs = st.executeQuery("select seq, hash from audit_head")) {
                rs.next();
                assertThat(published.seq()).isEqualTo(rs.getLong(1));
                assertThat(published.headHash()).isEqualTo(rs.getString(2));
            }
            var records = rotations.await(AuditCheckpoint.SUBJECT, rs -> rs.stream().map(KafkaProbe::read)
                    .anyMatch(published::equals));
            var record = records.stream().filter(r -> published.equals(KafkaProbe.read(r))).findFirst().orElseThrow();
            assertThat(KafkaProbe.header(record, CloudEvents.TYPE)).isEqualTo("dev.rotor.audit-checkpoint.v1");
            assertThat(KafkaProbe.header(record, CloudEvents.SUBJECT)).isEqualTo("audit-chain");
            // A head already published is not published again. Another test's rotation may still be moving the
            // head in the background: then each publish names a later head, until the head holds still.
            AuditCheckpoint last = published;
            AuditCheckpoint again = VertxContextSupport.subscribeAndAwait(() -> checkpoints.publish());
            for (int i = 0; again != null && i < 50; i++) {
                assertThat(again.seq()).as("a moved head").isGreaterThan(last.seq());
                last = again;
                Thread.sleep(200);
                again = VertxContextSupport.subscribeAndAwait(() -> checkpoints.publish());
            }
            assertThat(again).as("unchanged head").isNull();
        }
    }

    private static String stepOf(JsonNode e) {
        JsonNode d = e.get("detail");
        return d == null || d.get("step") == null ? "" : " " + d.get("step").asText() + "/"
                + d.get("direction").asText() + "#" + d.get("attempt").asInt();
    }

    /** The entry as the chain hashes it, rebuilt from the API's view. */
    private static AuditEntry entry(JsonNode e) throws Exception {
        List<String> roles = new ArrayList<>();
        e.get("roles").forEach(r -> roles.add(r.asText()));
        return new AuditEntry(e.get("seq").asLong(), Instant.parse(e.get("at").asText()), e.get("kind").asText(),
                e.get("subject").asText(), roles, e.get("source").asText(), text(e, "reason"),
                text(e, "clientAddress"), text(e, "secretId"),
                e.hasNonNull("rotationId") ? UUID.fromString(e.get("rotationId").asText()) : null,
                e.hasNonNull("detail") ? JSON.writeValueAsString(e.get("detail")) : null);
    }

    private static String text(JsonNode e, String field) {
        return e.hasNonNull(field) ? e.get(field).asText() : null;
    }

    private static List<JsonNode> entries(String query) {
        String all = query.contains("limit=") ? query : (query.isEmpty() ? "" : query + "&") + "limit=1000";
        String body = Api.given("viewer").get("/api/audit?" + all).then().statusCode(200)
                .contentType(ContentType.JSON).extract().asString();
        try {
            List<JsonNode> out = new ArrayList<>();
            JSON.readTree(body).forEach(out::add);
            return out;
        } catch (Exception e) {
            throw new AssertionError(body, e);
        }
    }

    private static List<JsonNode> awaitEntries(String query, String lastKind) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> entries(query).stream()
                .anyMatch(e -> lastKind.equals(e.get("kind").asText())));
        return entries(query);
    }

    /** A refused call: an entry of its own, with no rotation left running. */
    private static void refuseOne() {
        Api.given("viewer").post("/api/rotations/" + UUID.randomUUID() + "/abort").then().statusCode(403);
    }
}

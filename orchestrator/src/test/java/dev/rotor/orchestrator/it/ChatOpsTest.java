package dev.rotor.orchestrator.it;

import static dev.rotor.contracts.messages.Direction.COMPENSATE;
import static dev.rotor.contracts.messages.Direction.FORWARD;
import static dev.rotor.contracts.messages.Step.STAGE_SECRET;
import static dev.rotor.contracts.messages.Step.UPDATE_SECRET;
import static dev.rotor.orchestrator.it.SlackResource.APPROVER;
import static dev.rotor.orchestrator.it.SlackResource.LEAD;
import static dev.rotor.orchestrator.it.SlackResource.OPERATOR;
import static dev.rotor.orchestrator.it.SlackResource.RESPONDER;
import static dev.rotor.orchestrator.it.SlackResource.UNMAPPED;
import static dev.rotor.orchestrator.it.SlackResource.VIEWER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotor.contracts.messages.ApprovalRequested;
import dev.rotor.local.KafkaResource;
import dev.rotor.local.PostgresResource;
import dev.rotor.local.auth.AuthResource;
import dev.rotor.local.auth.TestAuth;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /rotor} from Slack, through the real broker and database: signed requests in, rotations run as the Slack
 * user, answers posted to {@code response_url} (WireMock), refusals audited, and nothing for an unsigned, stale or
 * replayed request.
 */
@QuarkusTest
@QuarkusTestResource(AuthResource.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "orchestrator"))
@QuarkusTestResource(SlackResource.class)
class ChatOpsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ROTATION_ID = Pattern.compile("rotation `([0-9a-f-]{36})`");

    SlackResource.SlackSide slack;
    private final Flow flow = new Flow();

    @AfterEach
    void close() {
        flow.close();
    }

    @Test
    void anUnmappedUsersAbortIsRefusedAuditedAndChangesNothingThenAResponderAborts() {
        SlackClient chat = new SlackClient(slack);
        UUID id = Api.start("orch-chat-abort", "MANUAL");
        flow.await(id, STAGE_SECRET, FORWARD, 1);

        SlackClient.Sent refused = chat.command(UNMAPPED, "abort " + id);
        assertThat(refused.http().statusCode()).isEqualTo(200);
        assertThat(refused.http().body()).isEmpty();
        assertThat(chat.reply(refused)).isEqualTo(json("""
                {"response_type": "ephemeral", "text": "Refused: `/rotor abort` needs the role 'responder'; \
                <@U0NOBODY> has no Rotor role (ask an admin to add you to rotor.slack.users). Nothing was done."}"""));
        SlackClient.Sent viewer = chat.command(VIEWER, "abort " + id);
        assertThat(chat.reply(viewer)).isEqualTo(json("""
                {"response_type": "ephemeral", "text": "Refused: `/rotor abort` needs the role 'responder'; \
                <@U0VIEWER> holds viewer. Nothing was done."}"""));
        // Nothing changed: still running, no compensation sent.
        assertThat(Api.state(id)).isEqualTo("RUNNING");
        assertThat(flow.commandOrder(id)).containsExactly("STAGE_SECRET/FORWARD");
        List<Map<String, Object>> refusals = audit(id).stream().filter(e -> "request-refused".equals(e.get("kind")))
                .toList();
        assertThat(refusals).extracting(e -> e.get("subject")).containsExactly("slack:U0NOBODY", "slack:U0VIEWER");
        assertThat(refusals).extracting(e -> e.get("source")).containsOnly("chat");
        assertThat(refusals.get(1).get("roles")).isEqualTo(List.of("viewer"));
        assertThat(refusals.get(0).get("detail")).isEqualTo(Map.of("call", "/rotor abort",
                "requiredRole", "responder"));

        SlackClient.Sent aborted = chat.command(RESPONDER, "abort " + id);
        assertThat(chat.reply(aborted)).isEqualTo(json("""
                {"response_type": "in_channel", "text": "<@U0RESPONDER> aborted rotation `%s` (was RUNNING): \
                COMPENSATING"}""".formatted(id)));
        Flow.reply(flow.await(id, STAGE_SECRET, COMPENSATE, 1).compensated("discarded"));
        Api.awaitState(id, "ROLLED_BACK");
        assertThat(audit(id)).filteredOn(e -> "rotation-aborted".equals(e.get("kind"))).singleElement()
                .satisfies(e -> {
                    assertThat(e.get("subject")).isEqualTo("slack:U0RESPONDER");
                    assertThat(e.get("source")).isEqualTo("chat");
                });
        SlackClient.Sent again = chat.command(RESPONDER, "abort " + id);
        assertThat(chat.reply(again).get("text").asText()).isEqualTo("Rotation `" + id + "` already ended: "
                + "ROLLED_BACK");
    }

    @Test
    void aRotationThatNeedsApprovalWaitsTheRequesterCannotApproveAnApproversButtonRunsIt() {
        SlackClient chat = new SlackClient(slack);
        SlackClient.Sent asked = chat.command(LEAD, "rotate orch-chat-approval quarterly policy");
        JsonNode answer = chat.reply(asked);
        Matcher m = ROTATION_ID.matcher(answer.get("text").asText());
        assertThat(m.find()).isTrue();
        UUID id = UUID.fromString(m.group(1));
        assertThat(answer).isEqualTo(json("""
                {"response_type": "in_channel", "text": "<@U0LEAD> requested rotation `%1$s` of \
                `orch-chat-approval` (MANUAL): AWAITING_APPROVAL. It waits for approval: `/rotor approve %1$s`"}\
                """.formatted(id)));
        Api.get(id).then().statusCode(200);
        JsonPath rotation = Api.get(id).then().extract().jsonPath();
        assertThat(rotation.getString("state")).isEqualTo("AWAITING_APPROVAL");
        assertThat(rotation.getString("requestedBy")).isEqualTo("slack:U0LEAD");
        assertThat(rotation.getString("reason")).isEqualTo("quarterly policy");
        assertThat(flow.milestones(id, "approval-requested")).containsExactly("rotation-requested",
                "approval-requested");
        assertThat(((ApprovalRequested) flow.events(id).get(1)).requestedBy()).isEqualTo("slack:U0LEAD");

        // The requester may approve in general, but not their own rotation; an operator may not approve at all.
        SlackClient.Sent own = chat.command(LEAD, "approve " + id);
        assertThat(chat.reply(own)).isEqualTo(json("""
                {"response_type": "ephemeral", "text": "Refused: the requester (slack:U0LEAD) cannot approve or \
                deny their own rotation"}"""));
        SlackClient.Sent operator = chat.button(OPERATOR, "rotor-approve", id.toString());
        assertThat(chat.reply(operator)).isEqualTo(json("""
                {"response_type": "ephemeral", "replace_original": false, "text": "Refused: `/rotor approve` needs \
                the role 'approver' or 'responder'; <@U0OPERATOR> holds operator, viewer. Nothing was done."}"""));
        assertThat(Api.state(id)).isEqualTo("AWAITING_APPROVAL");
        assertThat(flow.commandOrder(id)).isEmpty();

        // An approver presses Approve on the milestone message: the same checks, and it runs.
        SlackClient.Sent approved = chat.button(APPROVER, "rotor-approve", id.toString());
        assertThat(approved.http().statusCode()).isEqualTo(200);
        assertThat(chat.reply(approved)).isEqualTo(json("""
                {"response_type": "in_channel", "replace_original": false, "text": "<@U0APPROVER> approved \
                rotation `%s`: 1 of 1 approval(s); RUNNING"}""".formatted(id)));
        Flow.reply(flow.await(id, STAGE_SECRET, FORWARD, 1).succeeded(1, 2, "staged"));
        Flow.reply(flow.await(id, UPDATE_SECRET, FORWARD, 1).succeeded(1, 2, "updated"));
        Api.awaitState(id, "COMPLETED");
        assertThat(flow.milestones(id, "rotation-completed")).containsExactly("rotation-requested",
                "approval-requested", "rotation-approved", "secret-staged", "secret-updated", "rotation-completed");

        List<Map<String, Object>> entries = audit(id);
        Map<String, Object> requested = entries.stream().filter(e -> "rotation-requested".equals(e.get("kind")))
                .findFirst().orElseThrow();
        assertThat(requested.get("subject")).isEqualTo("slack:U0LEAD");
        assertThat(requested.get("source")).isEqualTo("chat");
        assertThat(requested.get("roles")).isEqualTo(List.of("approver", "operator", "responder", "viewer"));
        assertThat(entries).filteredOn(e -> "request-refused".equals(e.get("kind"))).extracting(e -> e.get("subject"))
                .containsExactly("slack:U0LEAD", "slack:U0OPERATOR");
        assertThat(entries).filteredOn(e -> "approval-given".equals(e.get("kind"))).singleElement()
                .satisfies(e -> assertThat(e.get("subject")).isEqualTo("slack:U0APPROVER"));

        // Status of the rotation, for a viewer.
        SlackClient.Sent status = chat.command(VIEWER, "status " + id);
        JsonPath done = Api.get(id).then().extract().jsonPath();
        assertThat(chat.reply(status)).isEqualTo(json("""
                {"response_type": "ephemeral", "text": "`%s` `orch-chat-approval` *COMPLETED* (dual-key, MANUAL, \
                requested by slack:U0LEAD at %s)\\nsteps: STAGE_SECRET FORWARD SUCCEEDED, \
                UPDATE_SECRET FORWARD SUCCEEDED"}""".formatted(id, Instant.parse(done.getString("requestedAt")))));
        // ... and of the secret, which names its latest rotation.
        assertThat(chat.reply(chat.command(VIEWER, "status orch-chat-approval")).get("text").asText())
                .startsWith("`" + id + "` `orch-chat-approval` *COMPLETED*");
    }

    @Test
    void aRespondersEmergencyRunsAtOnceAsTheSlackUser() {
        SlackClient chat = new SlackClient(slack);
        JsonNode answer = chat.reply(chat.command(RESPONDER, "emergency orch-chat-emergency leaked in #general"));
        Matcher m = ROTATION_ID.matcher(answer.get("text").asText());
        assertThat(m.find()).isTrue();
        UUID id = UUID.fromString(m.group(1));
        assertThat(answer).isEqualTo(json("""
                {"response_type": "in_channel", "text": "<@U0RESPONDER> requested rotation `%s` of \
                `orch-chat-emergency` (EMERGENCY): RUNNING"}""".formatted(id)));
        JsonPath rotation = Api.get(id).then().extract().jsonPath();
        assertThat(rotation.getString("trigger")).isEqualTo("EMERGENCY");
        assertThat(rotation.getString("strategy")).isEqualTo("immediate");
        assertThat(rotation.getString("reason")).isEqualTo("leaked in #general");
        assertThat(rotation.getString("requestedBy")).isEqualTo("slack:U0RESPONDER");
        Flow.reply(flow.await(id, STAGE_SECRET, FORWARD, 1).succeeded(1, 2, "staged"));
        Flow.reply(flow.await(id, UPDATE_SECRET, FORWARD, 1).succeeded(1, 2, "updated"));
        Api.awaitState(id, "COMPLETED");
    }

    @Test
    void statusShowsAParentsChildrenWithTheirOutcomeAndAChildsParent() {
        SlackClient chat = new SlackClient(slack);
        JsonNode answer = chat.reply(chat.command(RESPONDER, "emergency orch-chat-family leaked in #general"));
        Matcher m = ROTATION_ID.matcher(answer.get("text").asText());
        assertThat(m.find()).isTrue();
        UUID parent = UUID.fromString(m.group(1));
        UUID child = UUID.fromString(Api.get(parent).then().extract().jsonPath().getString("children[0].id"));
        // The child is told apart while it runs: its status names its parent, still RUNNING.
        Flow.reply(flow.await(parent, STAGE_SECRET, FORWARD, 1).succeeded(1, 2, "staged"));
        flow.await(parent, UPDATE_SECRET, FORWARD, 1);
        assertThat(chat.reply(chat.command(VIEWER, "status " + child)).get("text").asText())
                .endsWith("\nstarted by `" + parent + "` `orch-chat-family` *RUNNING* (related entry)");
        Flow.reply(flow.await(parent, UPDATE_SECRET, FORWARD, 1).succeeded(1, 2, "updated"));
        Api.awaitState(parent, "COMPLETED");
        Flow.reply(flow.await(child, STAGE_SECRET, FORWARD, 1).succeeded(1, 2, "staged"));
        Flow.reply(flow.await(child, UPDATE_SECRET, FORWARD, 1).succeeded(1, 2, "updated"));
        Api.awaitState(child, "COMPLETED");

        assertThat(chat.reply(chat.command(VIEWER, "status " + parent))).isEqualTo(json("""
                {"response_type": "ephemeral", "text": "`%s` `orch-chat-family` *COMPLETED* (immediate, EMERGENCY, \
                requested by slack:U0RESPONDER at %s)\\nsteps: STAGE_SECRET FORWARD SUCCEEDED, \
                UPDATE_SECRET FORWARD SUCCEEDED\\nrelated: `orch-chat-family-child` `%s` *COMPLETED*"}"""
                .formatted(parent, requestedAt(parent), child)));
        assertThat(chat.reply(chat.command(VIEWER, "status orch-chat-family-child"))).isEqualTo(json("""
                {"response_type": "ephemeral", "text": "`%s` `orch-chat-family-child` *COMPLETED* (immediate, \
                EMERGENCY, requested by slack:U0RESPONDER at %s)\\nsteps: STAGE_SECRET FORWARD SUCCEEDED, \
                UPDATE_SECRET FORWARD SUCCEEDED\\nstarted by `%s` `orch-chat-family` *COMPLETED* \
                (related entry)"}""".formatted(child, requestedAt(child), parent)));
    }

    private static Instant requestedAt(UUID id) {
        return Instant.parse(Api.get(id).then().extract().jsonPath().getString("requestedAt"));
    }

    @Test
    void statusHelpAndBadInputAnswerOnlyTheUser() {
        SlackClient chat = new SlackClient(slack);
        UUID running = Api.start("orch-chat-replay", "MANUAL");
        flow.await(running, STAGE_SECRET, FORWARD, 1);
        JsonNode active = chat.reply(chat.command(VIEWER, "status"));
        assertThat(active.get("response_type").asText()).isEqualTo("ephemeral");
        assertThat(active.get("text").asText()).startsWith("Active rotations:\n")
                .contains("`" + running + "` `orch-chat-replay` *RUNNING* (dual-key, MANUAL, requested by "
                        + "test-responder at ");
        assertThat(chat.reply(chat.command(VIEWER, "status no-such-secret"))).isEqualTo(json("""
                {"response_type": "ephemeral", "text": "No secret `no-such-secret` in the catalog."}"""));
        assertThat(chat.reply(chat.command(UNMAPPED, "status")).get("text").asText())
                .isEqualTo("Refused: `/rotor status` needs the role 'viewer'; <@U0NOBODY> has no Rotor role (ask an"
                        + " admin to add you to rotor.slack.users). Nothing was done.");
        assertThat(chat.reply(chat.command(UNMAPPED, "help")).get("text").asText())
                .startsWith("Rotor commands:\n`/rotor rotate SECRET [reason]` start a MANUAL rotation (operator)");
        assertThat(chat.reply(chat.command(RESPONDER, "emergency orch-chat-replay"))).isEqualTo(json("""
                {"response_type": "ephemeral", "text": "`/rotor emergency SECRET reason` needs a reason: it goes \
                into the audit log and the report."}"""));
        assertThat(chat.reply(chat.command(RESPONDER, "abort not-a-uuid")).get("text").asText())
                .isEqualTo("`not-a-uuid` is not a rotation id (a UUID, as `/rotor status` shows).");
        assertThat(chat.reply(chat.command(OPERATOR, "rotate orch-chat-replay")).get("text").asText())
                .isEqualTo("Cannot rotate `orch-chat-replay`: a rotation of 'orch-chat-replay' is already active");
        assertThat(chat.reply(chat.command(OPERATOR, "emergency orch-chat-replay leaked")).get("text").asText())
                .startsWith("Refused: `/rotor emergency` needs the role 'responder'");
        Api.abort(running).then().statusCode(202);
        Flow.reply(flow.await(running, STAGE_SECRET, COMPENSATE, 1).compensated("discarded"));
        Api.awaitState(running, "ROLLED_BACK");
    }

    @Test
    void unsignedWronglySignedStaleAndReplayedRequestsGet401AndDoNothing() {
        SlackClient chat = new SlackClient(slack);
        String text = "rotate orch-chat-signature";
        String path = SlackClient.responsePath();
        String body = "token=" + SlackClient.LEGACY_TOKEN + "&user_id=" + OPERATOR + "&command=%2Frotor&text="
                + text.replace(" ", "+") + "&response_url=" + chat.responseUrl(path);
        String now = String.valueOf(Instant.now().getEpochSecond());
        String good = SlackClient.sign(slack.signingSecret(), now, body);
        String sixMinutesAgo = String.valueOf(Instant.now().minusSeconds(360).getEpochSecond());

        assertRefused(chat.send("/slack/commands", path, body, now, good.replace(good.charAt(10),
                good.charAt(10) == 'a' ? 'b' : 'a')), "the signature does not match");
        assertRefused(chat.send("/slack/commands", path, body, now, SlackClient.sign("another-secret", now, body)),
                "the signature does not match");
        assertRefused(chat.send("/slack/commands", path, body, sixMinutesAgo,
                SlackClient.sign(slack.signingSecret(), sixMinutesAgo, body)),
                "the request timestamp is not within the allowed window");
        assertRefused(chat.send("/slack/commands", path, body, null, null),
                "X-Slack-Request-Timestamp or X-Slack-Signature is missing");
        // A bearer token, even one with every role, is no substitute for Slack's signature.
        java.net.http.HttpResponse<String> bearer;
        try {
            bearer = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + io.restassured.RestAssured.port + "/slack/commands"))
                    .header("Authorization", TestAuth.bearer("responder"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        assertThat(bearer.statusCode()).isEqualTo(401);
        assertThat(rotationsOf("orch-chat-signature")).isEmpty();
        assertThat(chat.replies(new SlackClient.Sent(path, null, body, now, good))).isEmpty();

        // Signed and fresh: it runs once; the same request again (same timestamp and signature) does nothing.
        SlackClient.Sent first = chat.send("/slack/commands", path, body, now, good);
        assertThat(first.http().statusCode()).isEqualTo(200);
        assertThat(chat.reply(first).get("text").asText()).startsWith("<@U0OPERATOR> requested rotation");
        SlackClient.Sent replayed = chat.send("/slack/commands", path, body, now, good);
        assertRefused(replayed, "this request was already received");
        assertThat(rotationsOf("orch-chat-signature")).hasSize(1);
        assertThat(chat.replies(first)).hasSize(1);
        UUID started = UUID.fromString(rotationsOf("orch-chat-signature").get(0));
        flow.await(started, STAGE_SECRET, FORWARD, 1);
        Api.abort(started).then().statusCode(202);
        Flow.reply(flow.await(started, STAGE_SECRET, COMPENSATE, 1).compensated("discarded"));
        Api.awaitState(started, "ROLLED_BACK");
    }

    @Test
    void noSigningSecretTokenOrResponseUrlInAnyAnswerOrLogLine() {
        SlackClient chat = new SlackClient(slack);
        List<String> lines;
        List<String> bodies = new java.util.ArrayList<>();
        try (LogCapture log = LogCapture.start()) {
            SlackClient.Sent bad = chat.send("/slack/commands", SlackClient.responsePath(), "token="
                    + SlackClient.LEGACY_TOKEN + "&user_id=" + VIEWER, String.valueOf(Instant.now().getEpochSecond()),
                    "v0=" + "0".repeat(64));
            bodies.add(bad.http().body());
            SlackClient.Sent status = chat.command(VIEWER, "status orch-chat-abort");
            chat.reply(status);
            bodies.add(status.http().body());
            SlackClient.Sent refused = chat.command(UNMAPPED, "rotate orch-chat-abort");
            chat.reply(refused);
            SlackClient.Sent malformed = chat.send("/slack/interactions", SlackClient.responsePath(),
                    "payload=%7B%7D&token=" + SlackClient.LEGACY_TOKEN, status.timestamp(),
                    SlackClient.sign(slack.signingSecret(), status.timestamp(), "payload=%7B%7D&token="
                            + SlackClient.LEGACY_TOKEN));
            assertThat(malformed.http().statusCode()).isEqualTo(400);
            assertThat(malformed.http().body()).contains("payload 'type' must be block_actions");
            bodies.add(malformed.http().body());
            lines = log.lines();
        }
        chat.allReplies().forEach(r -> bodies.add(r.getBodyAsString()));
        assertThat(lines).anyMatch(l -> l.contains("slack: refused a request to /slack/commands: the signature does"
                + " not match"));
        assertThat(lines).anyMatch(l -> l.contains("/rotor rotate by slack:U0NOBODY refused"));
        for (String secret : List.of(slack.signingSecret(), SlackClient.LEGACY_TOKEN, "/commands/T0ROTOR/")) {
            assertThat(lines).noneMatch(l -> l.contains(secret));
            assertThat(bodies).noneMatch(b -> b.contains(secret));
        }
    }

    private static void assertRefused(SlackClient.Sent sent, String why) {
        assertThat(sent.http().statusCode()).isEqualTo(401);
        assertThat(sent.http().headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = json(sent.http().body());
        assertThat(problem.get("status").asInt()).isEqualTo(401);
        assertThat(problem.get("detail").asText()).isEqualTo(why);
        assertThat(sent.http().body()).doesNotContain(SlackClient.LEGACY_TOKEN);
        if (sent.signature() != null) {
            assertThat(sent.http().body()).doesNotContain(sent.signature().substring(3));
        }
    }

    private static List<String> rotationsOf(String secret) {
        List<String> ids = Api.given("viewer").get("/api/rotations?limit=500").then().statusCode(200).extract()
                .jsonPath().getList("findAll { it.secretId == '" + secret + "' }.id");
        return ids;
    }

    private static List<Map<String, Object>> audit(UUID id) {
        return Api.given("viewer").get("/api/audit?rotation=" + id).then().statusCode(200).extract().jsonPath()
                .getList("$");
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

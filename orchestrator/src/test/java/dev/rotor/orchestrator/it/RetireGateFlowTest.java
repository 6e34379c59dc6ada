package dev.rotor.orchestrator.it;

import static dev.rotor.contracts.messages.Direction.FORWARD;
import static dev.rotor.contracts.messages.Step.RETIRE_PREVIOUS;
import static dev.rotor.contracts.messages.Step.STAGE_SECRET;
import static dev.rotor.contracts.messages.Step.UPDATE_SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.github.tomakehurst.wiremock.client.WireMock;
import dev.rotor.contracts.messages.RetireDeferred;
import dev.rotor.contracts.messages.RetireOverdue;
import dev.rotor.contracts.messages.RotorMessage;
import dev.rotor.contracts.messages.StepRequested;
import dev.rotor.local.KafkaResource;
import dev.rotor.local.PostgresResource;
import dev.rotor.local.auth.AuthResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * RETIRE_PREVIOUS gated on use (catalog retire-when) through the real broker and database, the share read from a
 * WireMock of Prometheus's query API (or an app endpoint) whose answers change over time. The test answers for
 * secret-sync. Grace 1 s, a probe every second.
 */
@QuarkusTest
@TestProfile(RetireGateFlowTest.Gated.class)
@QuarkusTestResource(AuthResource.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "orchestrator"))
@QuarkusTestResource(value = PrometheusResource.class, restrictToAnnotatedClass = true)
class RetireGateFlowTest {
    private final Flow flow = new Flow();

    /** Its own app: the catalog and the Prometheus address come from PrometheusResource. */
    public static class Gated implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of();
        }
    }

    @AfterEach
    void close() {
        flow.close();
    }

    private UUID completed(String secretId) {
        UUID id = Api.start(secretId, "MANUAL");
        Flow.reply(flow.await(id, STAGE_SECRET, FORWARD, 1).succeeded(1, 2, "staged"));
        Flow.reply(flow.await(id, UPDATE_SECRET, FORWARD, 1).succeeded(1, 2, "targets written"));
        Api.awaitState(id, "COMPLETED");
        return id;
    }

    private <T extends RotorMessage> T event(UUID id, Class<T> type, int index) {
        return flow.events(id).stream().filter(type::isInstance).map(type::cast).toList().get(index);
    }

    private static List<String> audit(UUID id, String kind) {
        return Api.given().get("/api/audit?rotation=" + id).then().statusCode(200).extract()
                .path("findAll { it.kind == '" + kind + "' }.collect { it.subject + ' ' + it.detail.sort() }");
    }

    @Test
    void aShareAboveDefersTheRetirementUntilTheShareStayedLowForTheHold() {
        String query = "share{version=\"1\"}";
        PrometheusResource.scalar(query, "0.12");
        UUID id = completed("rg-defer");
        Instant completedAt = Instant.parse(Api.get(id).then().extract().path("completedAt"));

        assertThat(flow.milestones(id, "retire-deferred")).containsExactly("rotation-requested", "secret-staged",
                "secret-updated", "rotation-completed", "retire-deferred");
        RetireDeferred deferred = event(id, RetireDeferred.class, 0);
        String prometheus = "prometheus " + PrometheusResource.base();
        assertThat(deferred.version()).isEqualTo(1);
        assertThat(deferred.share()).isEqualTo(0.12);
        assertThat(deferred.maxShare()).isEqualTo(0.05);
        assertThat(deferred.retireBy()).isEqualTo(completedAt.plus(Duration.ofHours(1)));
        assertThat(deferred.probe()).isEqualTo(prometheus + " answered 0.12");
        assertThat(deferred.occurredAt()).isAfterOrEqualTo(completedAt.plusSeconds(1));

        // Still above for a while: probed again, still not retired.
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> PrometheusResource.wiremock.findAll(
                WireMock.getRequestedFor(WireMock.urlPathEqualTo("/api/v1/query"))
                        .withQueryParam("query", WireMock.equalTo(query))).size() >= 3);
        assertThat(flow.commandOrder(id)).containsExactly("STAGE_SECRET/FORWARD", "UPDATE_SECRET/FORWARD");

        PrometheusResource.scalar(query, "0.03");
        StepRequested retire = flow.await(id, RETIRE_PREVIOUS, FORWARD, 1);
        Api.get(id).then().body("retireGate.outcome", equalTo("share"))
                .body("retireGate.share", equalTo(0.03f))
                .body("retireGate.probe", equalTo(prometheus + " answered 0.03"));
        Instant lowSince = Instant.parse(Api.get(id).then().extract().path("retireGate.belowSince"));
        assertThat(retire.requestedAt()).as("only once the share stayed low for 3 s")
                .isAfterOrEqualTo(lowSince.plusSeconds(3));
        assertThat(retire.spec().fromVersion()).isEqualTo(1);

        Flow.reply(retire.succeeded(1, 2, "version 1 retired"));
        assertThat(flow.milestones(id, "previous-retired")).containsExactly("rotation-requested", "secret-staged",
                "secret-updated", "rotation-completed", "retire-deferred", "previous-retired");
        assertThat(audit(id, "retirement-deferred")).containsExactly("orchestrator [probe:" + prometheus
                + " answered 0.12, share:0.12, version:1]");
    }

    @Test
    void aShareStillAboveTheAlertIsUrgentAndMaxGraceRetiresEvenWhenPrometheusIsDown() {
        PrometheusResource.vector("alert_share", "0.2");
        UUID id = completed("rg-alert");
        Instant completedAt = Instant.parse(Api.get(id).then().extract().path("completedAt"));

        assertThat(flow.milestones(id, "retire-overdue")).containsExactly("rotation-requested", "secret-staged",
                "secret-updated", "rotation-completed", "retire-deferred", "retire-overdue");
        RetireOverdue alert = event(id, RetireOverdue.class, 0);
        assertThat(alert.urgent()).isTrue();
        assertThat(alert.cause()).isEqualTo(RetireOverdue.ALERT_ABOVE);
        assertThat(alert.share()).isEqualTo(0.2);
        assertThat(alert.threshold()).isEqualTo(0.10);
        assertThat(alert.retiring()).isFalse();
        assertThat(alert.occurredAt()).isAfterOrEqualTo(completedAt.plusSeconds(2));
        assertThat(flow.commandOrder(id)).as("an alert does not retire").doesNotContain("RETIRE_PREVIOUS/FORWARD");

        // Prometheus goes down: the share is unknown, which never retires early; max-grace (7 s) retires anyway.
        PrometheusResource.unavailable("alert_share");
        StepRequested retire = flow.await(id, RETIRE_PREVIOUS, FORWARD, 1);
        assertThat(retire.requestedAt()).isAfterOrEqualTo(completedAt.plusSeconds(7));
        RetireOverdue maxGrace = event(id, RetireOverdue.class, 1);
        assertThat(maxGrace).isEqualTo(new RetireOverdue(id, "rg-alert", alert.trigger(), "test", 1,
                RetireOverdue.MAX_GRACE, null, 0.05, true, maxGrace.occurredAt()));
        assertThat(maxGrace.urgent()).isTrue();
        Api.get(id).then().body("retireGate.outcome", equalTo("max-grace"))
                .body("retireGate.probe", equalTo("prometheus " + PrometheusResource.base() + " answered 503"));
        assertThat(audit(id, "retirement-overdue")).containsExactly(
                "orchestrator [cause:alert-above, probe:prometheus " + PrometheusResource.base()
                        + " answered 0.2, share:0.2, version:1]",
                "orchestrator [cause:max-grace, probe:prometheus " + PrometheusResource.base()
                        + " answered 503, retiring:true, share:unknown, version:1]");
    }

    @Test
    void aNewerRotationRetiresAVersionWhoseRetirementWaitsOnItsShareAtOnce() {
        PrometheusResource.scalar("newer_share", "0.5");
        UUID first = completed("rg-newer");
        assertThat(flow.milestones(first, "retire-deferred")).endsWith("rotation-completed", "retire-deferred");

        // The share is still above, but a newer rotation will make another version previous: no more waiting.
        UUID second = Api.start("rg-newer", "MANUAL");
        StepRequested retire = flow.await(first, RETIRE_PREVIOUS, FORWARD, 1);
        assertThat(retire.spec().fromVersion()).isEqualTo(1);
        assertThat(flow.commandOrder(second)).startsWith("STAGE_SECRET/FORWARD");
    }

    @Test
    void aResponderForcesTheRetirementAuditedAndAViewerIsRefused() {
        PrometheusResource.app("/share/rg-force/1", "{\"previousShare\": 0.5, \"requests\": 1200}");
        UUID id = completed("rg-force");
        assertThat(flow.milestones(id, "retire-deferred")).endsWith("rotation-completed", "retire-deferred");
        assertThat(event(id, RetireDeferred.class, 0).probe()).isEqualTo("GET " + PrometheusResource.base()
                + "/share/rg-force/1 answered 0.5");

        Api.given("viewer").post("/api/rotations/" + id + "/retire").then().statusCode(403)
                .contentType("application/problem+json");
        Api.given("operator").post("/api/rotations/" + id + "/retire").then().statusCode(403);
        Api.given("responder").post("/api/rotations/" + id + "/retire").then().statusCode(202)
                .body("id", equalTo(id.toString())).body("state", equalTo("COMPLETED"));
        StepRequested retire = flow.await(id, RETIRE_PREVIOUS, FORWARD, 1);
        assertThat(retire.spec().fromVersion()).isEqualTo(1);
        Api.get(id).then().body("retireGate.outcome", equalTo("forced"));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !audit(id, "retirement-forced").isEmpty());
        assertThat(audit(id, "retirement-forced")).containsExactly("test-responder [share:0.5, version:1]");

        Api.given("responder").post("/api/rotations/" + id + "/retire").then().statusCode(409)
                .contentType("application/problem+json")
                .body("detail", equalTo("the retirement of version 1 has already started"));
        Api.given("responder").post("/api/rotations/" + UUID.randomUUID() + "/retire").then().statusCode(404)
                .contentType("application/problem+json");
        Flow.reply(retire.succeeded(1, 2, "version 1 retired"));
        assertThat(flow.milestones(id, "previous-retired")).endsWith("retire-deferred", "previous-retired");
        assertThat(flow.commandOrder(id)).containsExactly("STAGE_SECRET/FORWARD", "UPDATE_SECRET/FORWARD",
                "RETIRE_PREVIOUS/FORWARD");
    }
}

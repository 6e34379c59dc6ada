package dev.rotor.orchestrator.it;

import static dev.rotor.contracts.messages.Direction.FORWARD;
import static dev.rotor.contracts.messages.Step.STAGE_SECRET;
import static dev.rotor.contracts.messages.Step.UPDATE_SECRET;
import static dev.rotor.local.PrometheusSamples.value;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.local.KafkaResource;
import dev.rotor.local.PostgresResource;
import dev.rotor.local.auth.AuthResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.time.Duration;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** After a real rotation (through the broker and PostgreSQL), /q/metrics carries Rotor's series with its values. */
@QuarkusTest
@QuarkusTestResource(AuthResource.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "orchestrator"))
@QuarkusTestResource(DrainEndpointResource.class)
class MetricsTest {
    /** The management interface: health, metrics and OpenAPI are served there, never on the public port. */
    @io.quarkus.test.common.http.TestHTTPResource(value = "/", management = true)
    java.net.URI management;
    private final Flow flow = new Flow();

    @AfterEach
    void close() {
        flow.close();
    }

    @Test
    void aRotationShowsInTheRotorSeries() {
        UUID id = Api.start("orch-metrics", "MANUAL");
        Flow.reply(flow.await(id, STAGE_SECRET, FORWARD, 1).failed(true, "store busy"));
        Flow.reply(flow.await(id, STAGE_SECRET, FORWARD, 2).succeeded(1, 2, "staged"));
        Flow.reply(flow.await(id, UPDATE_SECRET, FORWARD, 1).succeeded(1, 2, "updated"));
        Api.awaitState(id, "COMPLETED");
        flow.milestones(id, "rotation-completed");

        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            String metrics = scrape();
            assertThat(value(metrics, "rotor_rotations_total", "outcome=\"completed\"", "secret=\"orch-metrics\"",
                    "strategy=\"dual-key\"", "trigger=\"MANUAL\"")).isEqualTo(1.0);
            assertThat(value(metrics, "rotor_rotations_requested_total", "secret=\"orch-metrics\"")).isEqualTo(1.0);
            assertThat(value(metrics, "rotor_step_retries_total", "step=\"STAGE_SECRET\"", "direction=\"FORWARD\""))
                    .isGreaterThanOrEqualTo(1.0);
            assertThat(value(metrics, "rotor_step_attempt_seconds_count", "step=\"UPDATE_SECRET\"",
                    "outcome=\"succeeded\"")).isGreaterThanOrEqualTo(1.0);
            assertThat(value(metrics, "rotor_step_attempt_seconds_count", "step=\"STAGE_SECRET\"",
                    "outcome=\"failed\"")).isGreaterThanOrEqualTo(1.0);
            assertThat(value(metrics, "rotor_secret_age_seconds", "secret=\"orch-metrics\"")).isBetween(0.0, 60.0);
            // max-age 90d, rotated just now.
            assertThat(value(metrics, "rotor_secret_due_seconds", "secret=\"orch-metrics\""))
                    .isBetween(90 * 86400.0 - 120, 90 * 86400.0);
            assertThat(metrics).contains("rotor_outbox_backlog ", "rotor_timer_lag_seconds ");
        });
    }

    private String scrape() {
        return RestAssured.given().get(management.resolve("/q/metrics")).then().statusCode(200).extract().asString();
    }
}

package dev.rotor.orchestrator.it;

import static dev.rotor.contracts.messages.Direction.COMPENSATE;
import static dev.rotor.contracts.messages.Direction.FORWARD;
import static dev.rotor.contracts.messages.Step.REENCRYPT;
import static dev.rotor.contracts.messages.Step.STAGE_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.contracts.json.RotorJson;
import dev.rotor.local.KafkaResource;
import dev.rotor.local.auth.AuthResource;
import dev.rotor.local.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A drain URL that carries a password and a query token, on a rotation whose drain fails once and whose rollback then
 * fails: neither secret shows in the API (step details, error, manual steps), the milestones or any log line.
 */
@QuarkusTest
@QuarkusTestResource(AuthResource.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "orchestrator"))
@QuarkusTestResource(DrainEndpointResource.class)
class DrainRedactionTest {
    private static final String SECRET = "orch-drain-secret";
    private static final String TOKEN = "abc-tok";

    @Test
    void theDrainUrlsPasswordAndTokenAppearNowhere() throws Exception {
        DrainEndpointResource.answerEnter(SECRET, 500);
        try (Flow flow = new Flow(); LogCapture log = LogCapture.start()) {
            UUID id = Api.start(SECRET, "MANUAL");
            Flow.reply(flow.await(id, STAGE_SECRET, FORWARD, 1).succeeded(1, 2, "staged"));
            Flow.reply(flow.await(id, REENCRYPT, FORWARD, 1).failed(false, "wrong old key"));
            Flow.reply(flow.await(id, REENCRYPT, COMPENSATE, 1).failed(false, "datasource unreachable"));
            Api.awaitState(id, "FAILED");
            flow.milestones(id, "rotation-failed");

            assertThat(DrainEndpointResource.calls(SECRET)).containsExactly("enter", "enter");
            String api = Api.get(id).then().extract().asString();
            List<String> manual = Api.get(id).then().extract().path("manualSteps");
            String shown = "http://***@127.0.0.1:" + DrainEndpointResource.port()
                    + "/drain/orch-drain-secret?token=***&mode=***";
            assertThat(manual).contains("2. End maintenance mode: send the drain's leave call (maintenance off) to "
                    + shown + ".");
            String drainError = Api.get(id).then().extract()
                    .path("steps.find { it.step == 'DRAIN_TRAFFIC' && it.direction == 'FORWARD' }.detail");
            assertThat(drainError).as("the successful second attempt's detail")
                    .isEqualTo("entering maintenance (POST " + shown + "): 200");
            String milestones = RotorJson.mapper().writeValueAsString(flow.events(id));
            List<String> lines = log.lines();

            assertThat(lines).anyMatch(l -> l.contains("answered 500"));
            for (String secret : List.of(DrainEndpointResource.DRAIN_PASSWORD, TOKEN)) {
                assertThat(api).doesNotContain(secret);
                assertThat(milestones).doesNotContain(secret);
                assertThat(lines).noneMatch(l -> l.contains(secret));
            }
        }
    }
}

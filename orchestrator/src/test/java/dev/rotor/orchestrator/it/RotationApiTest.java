package dev.rotor.orchestrator.it;

import static dev.rotor.orchestrator.it.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import dev.rotor.local.KafkaResource;
import dev.rotor.local.auth.AuthResource;
import dev.rotor.local.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The REST contract: statuses, Location, and RFC 9457 problem bodies. */
@QuarkusTest
@QuarkusTestResource(AuthResource.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "orchestrator"))
class RotationApiTest {

    private static ValidatableResponse post(String body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/rotations").then();
    }

    private static void problem(ValidatableResponse r, int status, String detailPart) {
        r.statusCode(status).contentType("application/problem+json")
                .body("type", startsWith("urn:rotor:problem:")).body("title", notNullValue())
                .body("status", equalTo(status)).body("detail", containsString(detailPart));
    }

    @Test
    void acceptedWith202StateAndLocation() {
        String location = post("{\"secretId\":\"orch-list\",\"reason\":\"quarterly\"}")
                .statusCode(202).body("state", equalTo("RUNNING")).body("id", notNullValue())
                .header("Location", containsString("/api/rotations/")).extract().header("Location");
        String id = location.substring(location.lastIndexOf('/') + 1);
        given().get("/api/rotations/" + id).then().statusCode(200).body("trigger", equalTo("MANUAL"))
                .body("reason", equalTo("quarterly"));
        given().get("/api/rotations?limit=200").then().statusCode(200).body("id", hasItem(id));
        List<String> requested = given().get("/api/rotations").then().extract().path("requestedAt");
        assertThat(requested).isSortedAccordingTo((a, b) -> b.compareTo(a));
        given().get("/api/secrets").then().statusCode(200)
                .body("find { it.id == 'orch-list' }.nextScheduledAt", endsWith("T03:00:00Z"))
                .body("find { it.id == 'orch-list' }.kind", equalTo("signing-key"));
    }

    @Test
    void aSecondConcurrentRotationIs409() {
        Api.start("orch-conflict", "MANUAL");
        // (An EMERGENCY would supersede it instead: ApprovalFlowTest.)
        problem(post("{\"secretId\":\"orch-conflict\",\"trigger\":\"MANUAL\"}"), 409, "already active");
    }

    @Test
    void anUnknownSecretIs404() {
        problem(post("{\"secretId\":\"no-such-secret\",\"trigger\":\"MANUAL\"}"), 404, "no-such-secret");
    }

    @Test
    void malformedInputIs400NamingTheField() {
        problem(post("{\"secretId\": "), 400, "not valid JSON");
        problem(post("{\"trigger\":\"MANUAL\"}"), 400, "'secretId'");
        problem(post("{\"secretId\":\"orch-list\",\"trigger\":\"SOMETIMES\"}"), 400, "'trigger'");
        problem(post("{\"secretId\":\"orch-list\",\"dryRun\":\"yes\"}"), 400, "'dryRun'");
        problem(post("[1,2]"), 400, "JSON object");
    }

    @Test
    void aDryRunOfAStrategyThatDoesNotReencryptIs422() {
        problem(post("{\"secretId\":\"orch-credential\",\"dryRun\":true}"), 422, "re-encrypting strategies only");
    }

    @Test
    void rotationIdsAreChecked() {
        problem(given().get("/api/rotations/not-a-uuid").then(), 400, "'id'");
        problem(given().get("/api/rotations/" + UUID.randomUUID()).then(), 404, "no rotation");
        problem(given().get("/api/rotations?limit=0").then(), 400, "'limit'");
    }
}

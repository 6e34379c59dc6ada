package dev.rotor.orchestrator.it;

import static dev.rotor.orchestrator.it.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.rotor.local.KafkaResource;
import dev.rotor.local.PostgresResource;
import dev.rotor.local.auth.AuthResource;
import dev.rotor.local.auth.TestAuth;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

/** What the role matrix does not cover: body media types, the EMERGENCY rule, the requester, open health. */
@QuarkusTest
@QuarkusTestResource(AuthResource.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "orchestrator"))
class ControlPlaneSecurityTest {
    /** The management interface: health, metrics and OpenAPI are served there, never on the public port. */
    @io.quarkus.test.common.http.TestHTTPResource(value = "/", management = true)
    java.net.URI management;

    @jakarta.inject.Inject
    io.smallrye.jwt.auth.principal.JWTParser parser;

    @Test
    void aVerifiedTokenIsKeptSoTheSameStringIsNotVerifiedAgainButAnotherIs() throws Exception {
        String token = TestAuth.issuer().mint("carol", java.util.List.of("viewer"), java.time.Duration.ofMinutes(5));
        var first = parser.parse(token);
        assertThat(first.getName()).isEqualTo("carol");
        assertThat(parser.parse(token)).isSameAs(first);

        String forged = token.substring(0, token.lastIndexOf('.') + 1) + "AAAA" + token.substring(token.length() - 4);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> parser.parse(forged))
                .isInstanceOf(io.smallrye.jwt.auth.principal.ParseException.class);
        RestAssured.given().header("Authorization", "Bearer " + forged).get("/api/rotations").then().statusCode(401);
        RestAssured.given().header("Authorization", "Bearer " + token).get("/api/rotations").then().statusCode(200);
    }

    @Test
    void aTextPlainBodyIs415AndStartsNothing() {
        given().contentType("text/plain").body("{\"secretId\":\"orch-requester\",\"trigger\":\"MANUAL\"}")
                .post("/api/rotations").then().statusCode(415).contentType("application/problem+json")
                .body("type", equalTo("urn:rotor:problem:unsupported-media-type"))
                .body("detail", containsString("text/plain"));
        given().contentType("application/x-www-form-urlencoded").body("secretId=orch-requester")
                .post("/api/rotations").then().statusCode(415);
        given().get("/api/rotations?limit=500").then().statusCode(200)
                .body("findAll { it.secretId == 'orch-requester' }.size()", equalTo(0));
    }

    @Test
    void anEmergencyNeedsTheResponderRoleAndTheRequesterIsTheTokenSubject() {
        given("operator").contentType("application/json")
                .body("{\"secretId\":\"orch-requester\",\"trigger\":\"EMERGENCY\",\"reason\":\"leak\"}")
                .post("/api/rotations").then().statusCode(403).contentType("application/problem+json")
                .body("detail", containsString("'responder'"));

        String id = RestAssured.given().header("Authorization", "Bearer " + TestAuth.issuer()
                        .mint("alice", java.util.List.of("responder"), java.time.Duration.ofMinutes(5)))
                .contentType("application/json")
                .body("{\"secretId\":\"orch-requester\",\"trigger\":\"EMERGENCY\",\"reason\":\"leak\"}")
                .post("/api/rotations").then().statusCode(202).extract().path("id");

        given("viewer").get("/api/rotations/" + id).then().statusCode(200).body("requestedBy", equalTo("alice"))
                .body("trigger", equalTo("EMERGENCY"));
        given("viewer").get("/api/rotations?limit=500").then()
                .body("find { it.id == '" + id + "' }.requestedBy", equalTo("alice"));
    }

    @Test
    void aRefusedTokenIsNeverEchoed() {
        String token = TestAuth.issuer().sign("https://evil.example", "rotor", "mallory", java.util.List.of("viewer"),
                java.time.Instant.now().plusSeconds(300));
        String body = RestAssured.given().header("Authorization", "Bearer " + token).get("/api/rotations").then()
                .statusCode(401).header("WWW-Authenticate", startsWith("Bearer realm=\"rotor\", error=\"invalid_token\""))
                .body("detail", containsString("issuer")).extract().asString();
        assertThat(body).doesNotContain(token).doesNotContain(token.substring(token.lastIndexOf('.') + 1));
    }

    @Test
    void anApiPathNoResourceServesStillNeedsAToken() {
        RestAssured.given().get("/api/no-such-thing").then().statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer")).contentType("application/problem+json");
        RestAssured.given().contentType("application/json").body("{}").post("/api/rotations/x/y/z").then()
                .statusCode(401);
        given("viewer").get("/api/no-such-thing").then().statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("urn:rotor:problem:not-found"));
        // A real endpoint still wins over the fallback.
        given("viewer").get("/api/rotations").then().statusCode(200);
    }

    @Test
    void healthIsOpenAndSaysNothingAboutConfiguration() {
        String health = RestAssured.get(management.resolve("/q/health")).then().statusCode(200).extract().asString();
        assertThat(health).doesNotContain("/").doesNotContain("jdbc").doesNotContain("localhost")
                .doesNotContain("127.0.0.1");
    }

    @io.quarkus.test.common.http.TestHTTPResource("/")
    java.net.URI publicBase;

    @org.junit.jupiter.api.Test
    void healthMetricsAndOpenApiAreServedOnTheManagementPortOnly() {
        // 401 or 404 on the public port; 200 on the management port, the metrics as Prometheus text.
        org.assertj.core.api.Assertions.assertThat(dev.rotor.local.auth.ManagementPortCheck.check(
                publicBase, management)).isEmpty();
    }
}

package dev.rotor.orchestrator.it;

import dev.rotor.local.auth.TestAuth;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.UUID;
import org.awaitility.Awaitility;

/** The orchestrator's REST API as the tests use it. */
final class Api {
    private Api() {
    }

    /** A request as a responder (who may also operate and view): the tests drive every kind of rotation. */
    static RequestSpecification given() {
        return given("responder");
    }

    static RequestSpecification given(String role) {
        return RestAssured.given().header("Authorization", TestAuth.bearer(role));
    }

    static UUID start(String secretId, String trigger) {
        String id = given().contentType(ContentType.JSON)
                .body("{\"secretId\":\"" + secretId + "\",\"trigger\":\"" + trigger + "\",\"reason\":\"test\"}")
                .post("/api/rotations")
                .then().statusCode(202).extract().path("id");
        return UUID.fromString(id);
    }

    static UUID startDryRun(String secretId) {
        String id = given().contentType(ContentType.JSON)
                .body("{\"secretId\":\"" + secretId + "\",\"dryRun\":true}")
                .post("/api/rotations")
                .then().statusCode(202).extract().path("id");
        return UUID.fromString(id);
    }

    static Response abort(UUID id) {
        return given().post("/api/rotations/" + id + "/abort");
    }

    static Response get(UUID id) {
        return given().get("/api/rotations/" + id);
    }

    static String state(UUID id) {
        return get(id).then().statusCode(200).extract().path("state");
    }

    static void awaitState(UUID id, String state) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> state.equals(state(id)));
    }
}

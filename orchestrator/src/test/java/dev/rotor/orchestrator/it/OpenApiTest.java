package dev.rotor.orchestrator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.equalTo;

import dev.rotor.local.KafkaResource;
import dev.rotor.local.PostgresResource;
import dev.rotor.local.auth.AuthResource;
import dev.rotor.local.auth.OpenApiCheck;
import dev.rotor.local.auth.RoleMatrix;
import io.quarkus.test.common.http.TestHTTPResource;
import java.net.URI;
import java.nio.file.Path;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

/** The API describes itself: every endpoint, and the bearer scheme it needs. */
@QuarkusTest
@QuarkusTestResource(AuthResource.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "orchestrator"))
@QuarkusTestResource(DrainEndpointResource.class)
class OpenApiTest {
    /** The management interface: health, metrics and OpenAPI are served there, never on the public port. */
    @io.quarkus.test.common.http.TestHTTPResource(value = "/", management = true)
    java.net.URI management;
    @TestHTTPResource("/")
    URI base;

    @Test
    void everyEndpointAndTheBearerSchemeAreDescribed() {
        RestAssured.given().get(management.resolve("/q/openapi?format=json")).then().statusCode(200)
                .body("info.title", equalTo("Rotor orchestrator API"))
                .body("paths", hasKey("/api/rotations"))
                .body("paths", hasKey("/api/rotations/{id}/approve"))
                .body("paths", hasKey("/api/rotations/{id}/deny"))
                .body("paths", hasKey("/api/rotations/{id}/abort"))
                .body("paths", hasKey("/api/rotations/{id}/report"))
                .body("paths", hasKey("/api/reports/rotations"))
                .body("paths", hasKey("/api/secrets/{id}/versions"))
                .body("components.securitySchemes.SecurityScheme.type", equalTo("http"))
                .body("components.securitySchemes.SecurityScheme.scheme", equalTo("bearer"));
        // Every /api endpoint of the compiled resource classes, with its roles and problem+json answers; the
        // dashboard's HTML pages are not API.
        assertThat(OpenApiCheck.check(management, RoleMatrix.scan(Path.of("target/classes")).stream()
                .filter(e -> e.template().startsWith("/api")).toList())).isEmpty();
    }
}

package dev.rotor.sync.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.local.KafkaResource;
import dev.rotor.local.auth.AuthResource;
import dev.rotor.local.auth.OpenApiCheck;
import dev.rotor.local.auth.RoleMatrix;
import dev.rotor.local.auth.RoleMatrix.Call;
import dev.rotor.sync.steps.TempHomeResource;
import dev.rotor.sync.store.Label;
import dev.rotor.sync.store.SecretStores;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * secret-sync's endpoints × every token. Its store API is for services only: every human role is refused. The
 * endpoints come from the compiled resource classes; a new one without a rule or a sample here fails the test.
 */
@QuarkusTest
@QuarkusTestResource(AuthResource.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(TempHomeResource.class)
class RoleMatrixTest {
    /** The management interface: health, metrics and OpenAPI are served there, never on the public port. */
    @io.quarkus.test.common.http.TestHTTPResource(value = "/", management = true)
    java.net.URI management;
    @TestHTTPResource("/")
    URI base;

    @Inject
    SecretStores stores;

    @Test
    void theStoreApiIsForServicesOnly() {
        String path = "matrix/" + UUID.randomUUID();
        stores.local().update(path, edit -> edit.add("matrix-value", Label.CURRENT, UUID.randomUUID(), null, false));
        List<RoleMatrix.Endpoint> endpoints = RoleMatrix.scan(Path.of("target/classes"));
        assertThat(endpoints).extracting(RoleMatrix.Endpoint::key)
                .containsExactly("GET /api/store/{path: .+}/versions");
        Map<String, Function<String, Call>> samples = Map.of("GET /api/store/{path: .+}/versions",
                role -> new Call("/api/store/" + path + "/versions", null));

        String table = RoleMatrix.run(base, endpoints, samples);

        System.out.println("secret-sync role matrix:\n" + table);
        assertThat(table).contains("GET /api/store/{path: .+}/versions");
    }

    @Test
    void theOpenApiDocumentDescribesEveryEndpointWithItsRoleAndProblemsAndSwaggerUiIsServed() {
        assertThat(OpenApiCheck.check(management, RoleMatrix.scan(Path.of("target/classes")))).isEmpty();
    }

    @Test
    void healthIsOpenAndNamesNoPath() {
        String health = RestAssured.get(management.resolve("/q/health")).then().statusCode(200).extract().asString();
        assertThat(health).contains("local-store").doesNotContain("/").doesNotContain("bcfks");
    }

    @org.junit.jupiter.api.Test
    void healthMetricsAndOpenApiAreServedOnTheManagementPortOnly() {
        // 401 or 404 on the public port; 200 on the management port, the metrics as Prometheus text.
        org.assertj.core.api.Assertions.assertThat(dev.rotor.local.auth.ManagementPortCheck.check(
                base, management)).isEmpty();
    }
}

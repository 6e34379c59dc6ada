package dev.rotor.orchestrator.it;

import static dev.rotor.orchestrator.it.Api.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.contracts.messages.RotationRequestSubmitted;
import dev.rotor.contracts.messages.Topics;
import dev.rotor.contracts.messages.Trigger;
import dev.rotor.local.KafkaResource;
import dev.rotor.local.SigningKeysResource;
import dev.rotor.local.auth.AuthResource;
import dev.rotor.local.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * An emergency request that arrives while the database is unreachable is retried until the database is back: one
 * rotation, nothing on the dead-letter topic. Its own application instance and database, behind {@link PgOutageProxy}.
 */
@QuarkusTest
@QuarkusTestResource(AuthResource.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "orchestrator"))
@QuarkusTestResource(value = SigningKeysResource.class,
        initArgs = @ResourceArg(name = "role", value = SigningKeysResource.ORCHESTRATOR))
@QuarkusTestResource(value = PgOutageProxy.class, restrictToAnnotatedClass = true)
class RequestDuringOutageTest {
    private static final String SECRET = "orch-request-outage";

    @Test
    void anEmergencyRequestOutlivesABriefDatabaseOutageAndStartsExactlyOneRotation() throws Exception {
        RotationRequestSubmitted request = new RotationRequestSubmitted(UUID.randomUUID(), SECRET,
                Trigger.EMERGENCY, "leaked during an outage", "alice", "slack", Instant.now());
        KafkaProbe.ensureTopics();
        rotations(); // the application answers before the outage
        try (KafkaProbe dlq = KafkaProbe.on(Topics.dlq("orchestrator")); LogCapture log = LogCapture.start()) {
            PgOutageProxy.cut();
            try {
                KafkaProbe.send(SigningKeysResource.bridgeSigner().record(Topics.ROTATION_REQUESTS, request,
                        "/rotor/test-bridge"));
                Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> log.lines().stream()
                        .anyMatch(l -> l.contains("rotation request " + request.requestId())
                                && l.contains("transient database trouble")));
                Thread.sleep(2000);
            } finally {
                PgOutageProxy.restore();
            }
            Awaitility.await().atMost(Duration.ofSeconds(40)).until(() -> rotations().size() == 1);
            Awaitility.await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                    .until(() -> rotations().size() == 1);
            UUID id = UUID.fromString(rotations().get(0));
            assertThat(Api.get(id).then().extract().<String>path("trigger")).isEqualTo("EMERGENCY");
            assertThat(dlq.poll(request.requestId().toString())).isEmpty();
            assertThat(log.lines()).noneMatch(l -> l.contains("sent to " + Topics.dlq("orchestrator")));
        }
    }

    private static List<String> rotations() {
        return given().get("/api/rotations?limit=500").then().statusCode(200).extract()
                .path("findAll { it.secretId == '" + SECRET + "' }.id");
    }
}

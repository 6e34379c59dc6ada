package dev.rotor.orchestrator.it;

import static dev.rotor.contracts.messages.Direction.FORWARD;
import static dev.rotor.contracts.messages.Step.STAGE_SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.rotor.local.KafkaResource;
import dev.rotor.local.PostgresResource;
import dev.rotor.local.auth.AuthResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A change freeze that is in force when the orchestrator starts and ends a little later: a MANUAL request is refused
 * naming it, an EMERGENCY runs and is flagged, a scheduled rotation is deferred to the freeze's end and then runs, and
 * one whose entry's window is months away is deferred to that window.
 */
@QuarkusTest
@TestProfile(FreezeFlowTest.Frozen.class)
@QuarkusTestResource(AuthResource.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "orchestrator"))
class FreezeFlowTest {
    /** Until when the freeze lasts: set when the profile writes the catalog, before the orchestrator starts. */
    static Instant freezeEnd;

    /**
     * Its own catalog: a freeze from an hour ago until 60 s from now (a loaded machine can take half of that to start
     * the orchestrator), and two scheduled entries.
     */
    public static class Frozen implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            freezeEnd = Instant.now().plusSeconds(60).truncatedTo(ChronoUnit.SECONDS);
            String entry = """
                      - id: %s
                        kind: signing-key
                        strategy: dual-key
                        generator: { type: base64, bytes: 32 }
                        store: { type: local, path: test/%s }
                        targets:
                          - { type: env-file, path: /tmp/rotor-test/%s.env, variable: SECRET_CURRENT }
                    """;
            String yaml = "freezes:\n  - { from: \"" + freezeEnd.minus(Duration.ofHours(1)) + "\", until: \""
                    + freezeEnd + "\", reason: \"release 4.2 freeze\" }\nsecrets:\n"
                    + entry.formatted("frz-manual", "frz-manual", "frz-manual")
                    + entry.formatted("frz-emergency", "frz-emergency", "frz-emergency")
                    + entry.formatted("frz-scheduled", "frz-scheduled", "frz-scheduled")
                    + "    schedule: { cron: \"0/10 * * * * ?\" }\n"
                    + entry.formatted("frz-windowed", "frz-windowed", "frz-windowed")
                    + "    schedule: { cron: \"0/10 * * * * ?\" }\n"
                    + "    windows: [ { cron: \"0 0 3 1 1 ?\", duration: 1h } ]\n";
            try {
                Path catalog = Files.writeString(Path.of("target/freeze-catalog.yaml"), yaml);
                return Map.of("rotor.orchestrator.catalog", catalog.toAbsolutePath().toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Inject
    AgroalDataSource db;

    private final Flow flow = new Flow();

    @AfterEach
    void close() {
        flow.close();
    }

    @Test
    void aFreezeRefusesManualFlagsEmergenciesAndDefersTheSchedule() throws Exception {
        assertThat(Instant.now()).as("the freeze must still be in force").isBefore(freezeEnd);
        Api.given("operator").contentType(ContentType.JSON).body("{\"secretId\":\"frz-manual\"}")
                .post("/api/rotations").then().statusCode(409).contentType("application/problem+json")
                .body("type", containsString("change-freeze"))
                .body("detail", equalTo("change freeze until " + freezeEnd + " (release 4.2 freeze): only an"
                        + " EMERGENCY rotation of 'frz-manual' may start now"));

        UUID emergency = Api.start("frz-emergency", "EMERGENCY");
        flow.await(emergency, STAGE_SECRET, FORWARD, 1);
        assertThat(flow.milestones(emergency, "freeze-overridden")).containsExactly("rotation-requested",
                "freeze-overridden");

        // Scheduled fire times inside the freeze are deferred to its end, and recorded as such.
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !outcomes("frz-scheduled").isEmpty());
        assertThat(outcomes("frz-scheduled")).first().asString().startsWith("deferred to " + freezeEnd
                + ": change freeze until " + freezeEnd + " (release 4.2 freeze)");
        // The window opens on the next 1 January at 03:00.
        Instant nextJanuary = Instant.parse((Instant.now().atZone(java.time.ZoneOffset.UTC).getYear() + 1)
                + "-01-01T03:00:00Z");
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !outcomes("frz-windowed").isEmpty());
        assertThat(outcomes("frz-windowed")).allSatisfy(o -> assertThat(o).startsWith("deferred to " + nextJanuary));

        // Once the freeze is over, the deferred run starts a SCHEDULED rotation.
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(() -> started("frz-scheduled") != null);
        String started = started("frz-scheduled");
        // The deferral's run (keyed by the freeze's end), not a later cron fire.
        Api.get(UUID.fromString(started)).then().body("trigger", equalTo("SCHEDULED"))
                .body("requestedBy", equalTo("schedule")).body("reason", equalTo("scheduled (" + freezeEnd + ")"));
        assertThat(Instant.parse(Api.get(UUID.fromString(started)).then().extract().<String>path("requestedAt")))
                .isAfterOrEqualTo(freezeEnd);
        assertThat(started("frz-windowed")).isNull();
    }

    /** The schedule_run outcomes of a secret, oldest first. */
    private List<String> outcomes(String secretId) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "select outcome from schedule_run where secret_id = ? and outcome <> 'claimed' order by fire_time")) {
            s.setString(1, secretId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(r.getString(1));
                }
            }
        }
        return out;
    }

    /** The rotation id of the first "started" outcome of a secret, or null. */
    private String started(String secretId) throws Exception {
        return outcomes(secretId).stream().filter(o -> o.startsWith("started ")).map(o -> o.substring(8))
                .findFirst().orElse(null);
    }
}

package dev.rotor.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rotor.local.PgServer;
import dev.rotor.local.PostgresResource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ToolJet case across the real services: {@code offline-reencrypt} of a Lockbox master key over a real table,
 * with a maintenance endpoint that records the drain calls; and the same with UPDATE_SECRET failing for good.
 */
class ReencryptRotationSystemTest {
    private static final int ROWS = 3000;

    @TempDir
    static Path home;
    static HookReceiver drain;
    static RotorSystem system;
    static Api api;
    static TopicReader topics;
    static LockboxRows tooljet;
    static LockboxRows broken;
    static String tooljetKey = LockboxRows.newHexKey();
    static String brokenKey = LockboxRows.newHexKey();

    @BeforeAll
    static void startSystem() throws Exception {
        drain = new HookReceiver();
        PgServer pg = PostgresResource.server();
        tooljet = database(pg, "tooljet_" + Long.toHexString(System.nanoTime()));
        broken = database(pg, "broken_" + Long.toHexString(System.nanoTime()));
        tooljet.seed(tooljetKey, ROWS);
        broken.seed(brokenKey, ROWS);
        Files.writeString(home.resolve("tooljet.env"), "# ToolJet\nLOCKBOX_MASTER_KEY=" + tooljetKey + "\nPG_HOST=db\n");
        Files.writeString(home.resolve("broken.env"), "LOCKBOX_MASTER_KEY=" + brokenKey + "\n");
        String catalog = new String(ReencryptRotationSystemTest.class.getResourceAsStream("/reencrypt-catalog.yaml")
                .readAllBytes(), StandardCharsets.UTF_8).replace("${DIR}", home.toString())
                .replace("${DRAIN_URL}", drain.url("/maintenance")).replace("${HOOK_URL}", drain.url("/hook"));
        system = new RotorSystem(home, Files.writeString(home.resolve("catalog.yaml"), catalog), Map.of(
                "ROTOR_REENCRYPT_DATASOURCES_TOOLJET_URL", tooljet.jdbcUrl,
                "ROTOR_REENCRYPT_DATASOURCES_TOOLJET_USERNAME", pg.user(),
                "ROTOR_REENCRYPT_DATASOURCES_TOOLJET_PASSWORD", pg.password(),
                "ROTOR_REENCRYPT_DATASOURCES_BROKEN_URL", broken.jdbcUrl,
                "ROTOR_REENCRYPT_DATASOURCES_BROKEN_USERNAME", pg.user(),
                "ROTOR_REENCRYPT_DATASOURCES_BROKEN_PASSWORD", pg.password()));
        api = new Api(system);
        topics = new TopicReader(system.bootstrap);
    }

    private static LockboxRows database(PgServer pg, String name) {
        pg.createDatabase(name);
        return new LockboxRows(pg.jdbcUrl(name), pg.user(), pg.password());
    }

    @AfterAll
    static void stopSystem() throws Exception {
        if (system != null) {
            system.close();
        }
        if (drain != null) {
            drain.close();
        }
    }

    @Test
    void offlineReencryptRotatesTheKeyAndEveryRowFollows() throws Exception {
        String id = api.rotate("lockbox-master-key", "MANUAL", "quarterly");
        JsonNode rotation = api.awaitTerminal(id, Duration.ofSeconds(120));

        assertThat(rotation.get("state").asText()).as(rotation.toString()).isEqualTo("COMPLETED");
        String newKey = EnvFile.read(home.resolve("tooljet.env")).get("LOCKBOX_MASTER_KEY");
        assertThat(newKey).matches("[0-9a-f]{64}").isNotEqualTo(tooljetKey);
        assertThat(EnvFile.read(home.resolve("tooljet.env"))).containsEntry("PG_HOST", "db");
        assertThat(tooljet.decryptingUnder(newKey)).isEqualTo(ROWS);
        assertThat(tooljet.decryptingUnder(tooljetKey)).isZero();
        assertThat(drainCalls(id)).containsExactly(true, false);
        assertThat(topics.distinctMilestones(id)).containsExactly("rotation-requested", "secret-staged",
                "traffic-drained", "reencrypted", "secret-updated", "traffic-restored", "rotation-completed");
    }

    @Test
    void aFailedUpdateRollsTheRowsBackAndRestoresTraffic() throws Exception {
        String id = api.rotate("broken-lockbox-key", "MANUAL", "doomed");
        JsonNode rotation = api.awaitTerminal(id, Duration.ofSeconds(180));

        assertThat(rotation.get("state").asText()).as(rotation.toString()).isEqualTo("ROLLED_BACK");
        assertThat(EnvFile.read(home.resolve("broken.env"))).containsEntry("LOCKBOX_MASTER_KEY", brokenKey);
        assertThat(broken.decryptingUnder(brokenKey)).isEqualTo(ROWS);
        assertThat(drainCalls(id)).containsExactly(true, false);
        assertThat(topics.commandsFor(id)).contains("REENCRYPT/FORWARD", "REENCRYPT/COMPENSATE",
                "STAGE_SECRET/COMPENSATE");
        assertThat(topics.distinctMilestones(id)).contains("compensation-started", "rotation-rolled-back")
                .doesNotContain("rotation-completed");
        List<String> labels = new ArrayList<>();
        for (JsonNode v : api.versions("tooljet/broken-lockbox-key")) {
            labels.add(v.get("version").asInt() + ":" + v.get("label").asText());
        }
        assertThat(labels).contains("1:current").doesNotContain("2:pending", "2:current");
        await().atMost(Duration.ofSeconds(30)).until(() -> urgentTypes(id).contains("dev.rotor.rotation-rolled-back.v1"));
        assertThat(urgentTypes(id)).contains("dev.rotor.compensation-started.v1");
    }

    /** The CloudEvent types the webhook channel received for a rotation, marked urgent. */
    private static List<String> urgentTypes(String rotationId) throws Exception {
        List<String> types = new ArrayList<>();
        for (HookReceiver.Received r : drain.at("/hook")) {
            JsonNode event = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
            if (rotationId.equals(event.path("subject").asText()) && event.path("rotorurgent").asBoolean()) {
                types.add(event.path("type").asText());
            }
        }
        return types;
    }

    /** The maintenance calls made for one rotation, as their {@code maintenance} flag, in order. */
    private static List<Boolean> drainCalls(String rotationId) throws Exception {
        List<Boolean> calls = new ArrayList<>();
        for (HookReceiver.Received r : drain.at("/maintenance")) {
            JsonNode body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
            if (rotationId.equals(body.path("rotationId").asText())) {
                calls.add(body.path("maintenance").asBoolean());
            }
        }
        return calls;
    }
}

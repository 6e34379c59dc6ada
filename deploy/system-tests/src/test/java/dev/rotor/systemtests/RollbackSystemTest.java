package dev.rotor.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rotor.local.PgServer;
import dev.rotor.local.PostgresResource;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 §3 across the real services: an offline (atomic) rotation of a Lockbox key writes the shadow, the
 * application then writes rows under the new key, and POST /api/rotations/{id}/rollback, a saga of its own, brings
 * every row back under the old key (the original rows to their very plaintexts, the application's rows to what it
 * wrote), makes the old version current again in the store and the env file, and drops the shadow. A later rotation's
 * shadow is dropped when its previous version retires.
 */
class RollbackSystemTest {
    private static final int ROWS = 2000;

    @TempDir
    static Path home;
    static RotorSystem system;
    static Api api;
    static TopicReader topics;
    static LockboxRows rows;
    static String oldKey = LockboxRows.newHexKey();

    @BeforeAll
    static void startSystem() throws Exception {
        PgServer pg = PostgresResource.server();
        String name = "undo_" + Long.toHexString(System.nanoTime());
        pg.createDatabase(name);
        rows = new LockboxRows(pg.jdbcUrl(name), pg.user(), pg.password());
        rows.seed(oldKey, ROWS);
        Files.writeString(home.resolve("undo.env"), "LOCKBOX_MASTER_KEY=" + oldKey
                + "\nLOCKBOX_MASTER_KEY_PREVIOUS=\n");
        String catalog = new String(RollbackSystemTest.class.getResourceAsStream("/rollback-catalog.yaml")
                .readAllBytes(), StandardCharsets.UTF_8).replace("${DIR}", home.toString());
        system = new RotorSystem(home, Files.writeString(home.resolve("catalog.yaml"), catalog), Map.of(
                "ROTOR_REENCRYPT_DATASOURCES_UNDO_URL", rows.jdbcUrl,
                "ROTOR_REENCRYPT_DATASOURCES_UNDO_USERNAME", pg.user(),
                "ROTOR_REENCRYPT_DATASOURCES_UNDO_PASSWORD", pg.password()));
        api = new Api(system);
        topics = new TopicReader(system.bootstrap);
    }

    @AfterAll
    static void stopSystem() throws Exception {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void aRollbackBringsEveryRowBackUnderTheOldKeyKeepsWhatTheAppWroteAndMakesTheOldKeyCurrent() throws Exception {
        String id = api.rotate("undo-lockbox-key", "MANUAL", "quarterly");
        JsonNode rotation = api.awaitTerminal(id, Duration.ofSeconds(120));
        assertThat(rotation.get("state").asText()).as(rotation.toString()).isEqualTo("COMPLETED");
        String newKey = EnvFile.read(home.resolve("undo.env")).get("LOCKBOX_MASTER_KEY");
        assertThat(newKey).matches("[0-9a-f]{64}").isNotEqualTo(oldKey);
        assertThat(rows.decryptingUnder(newKey)).isEqualTo(ROWS);
        assertThat(rows.count("SELECT count(*) FROM rotor." + shadow(id))).isEqualTo(ROWS);

        // The application, now on the new key, rewrites three rows and adds two.
        List<String> ids = new ArrayList<>(rows.plaintexts.keySet());
        for (String row : ids.subList(0, 3)) {
            rows.write(newKey, row, "{\"password\":\"rewritten after the rotation " + row + "\"}");
        }
        for (int i = 0; i < 2; i++) {
            rows.write(newKey, UUID.randomUUID().toString(), "{\"password\":\"added after the rotation " + i + "\"}");
        }
        assertThat(rows.decryptingUnder(newKey)).isEqualTo(ROWS + 2);

        HttpResponse<String> asked = api.act(id, "rollback", "the new key broke the app");
        assertThat(asked.statusCode()).as(asked.body()).isEqualTo(202);
        String rollback = new com.fasterxml.jackson.databind.ObjectMapper().readTree(asked.body()).get("id").asText();
        JsonNode undone = api.awaitTerminal(rollback, Duration.ofSeconds(120));

        assertThat(undone.get("state").asText()).as(undone.toString()).isEqualTo("COMPLETED");
        assertThat(undone.get("trigger").asText()).isEqualTo("ROLLBACK");
        assertThat(undone.get("parentId").asText()).isEqualTo(id);
        // Every row under the old key: the originals to their plaintexts, the application's to what it wrote.
        assertThat(rows.decryptingUnder(oldKey)).isEqualTo(ROWS + 2);
        assertThat(rows.decryptingUnder(newKey)).isZero();
        assertThat(EnvFile.read(home.resolve("undo.env"))).containsEntry("LOCKBOX_MASTER_KEY", oldKey);
        List<String> labels = new ArrayList<>();
        for (JsonNode v : api.versions("tooljet/undo-lockbox-key")) {
            labels.add(v.get("version").asInt() + ":" + v.get("label").asText());
        }
        assertThat(labels).containsExactly("1:current", "2:pending");
        assertThat(rows.count("SELECT count(*) FROM pg_tables WHERE schemaname = 'rotor' AND tablename = '"
                + shadow(id) + "'")).as("the shadow goes once the rows are back").isZero();
        assertThat(topics.commandsFor(rollback)).containsExactly("REENCRYPT/FORWARD", "UPDATE_SECRET/FORWARD");
        assertThat(topics.distinctMilestones(rollback)).containsExactly("rotation-requested", "reencrypted",
                "secret-updated", "rotation-completed");
        assertThat(api.act(id, "rollback", "again").statusCode()).isEqualTo(409);

        // A later rotation keeps its shadow through the grace; its retirement drops it.
        String next = api.rotate("undo-lockbox-key", "MANUAL", "again");
        assertThat(api.awaitTerminal(next, Duration.ofSeconds(120)).get("state").asText()).isEqualTo("COMPLETED");
        assertThat(rows.count("SELECT count(*) FROM rotor." + shadow(next))).isEqualTo(ROWS + 2);
        assertThat(api.act(next, "retire", "done").statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> rows.count("SELECT count(*) FROM pg_tables WHERE"
                + " schemaname = 'rotor' AND tablename = '" + shadow(next) + "'") == 0);
        assertThat(api.act(next, "rollback", "too late").statusCode()).isEqualTo(409);
    }

    private static String shadow(String rotationId) {
        return "shadow_" + rotationId.replace("-", "") + "_0";
    }
}

package dev.rotor.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rotor.local.PgServer;
import dev.rotor.local.PostgresResource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale-out (issue 14 §2): an online rotation over three reencrypt-worker processes, one of them killed with
 * {@code kill -9} while it holds a chunk. Its chunk goes to another worker after the group's rebalance, and every row
 * ends under the new key: each one is decrypted here and compared with the plaintext it was seeded with.
 */
class ScaleOutSystemTest {
    private static final int ROWS = 90_000;
    private static final List<String> WORKERS = List.of("reencrypt-worker", "reencrypt-worker-2", "reencrypt-worker-3");

    @TempDir
    static Path home;
    static RotorSystem system;
    static Api api;
    static LockboxRows rows;
    static String initialKey = LockboxRows.newHexKey();
    static PgServer pg;

    @BeforeAll
    static void startSystem() throws Exception {
        pg = PostgresResource.server();
        String db = "scaled_" + Long.toHexString(System.nanoTime());
        pg.createDatabase(db);
        rows = new LockboxRows(pg.jdbcUrl(db), pg.user(), pg.password());
        rows.seed(initialKey, ROWS);
        Files.writeString(home.resolve("scaled.env"), "LOCKBOX_MASTER_KEY=" + initialKey + "\n");
        String catalog = new String(ScaleOutSystemTest.class.getResourceAsStream("/scale-out-catalog.yaml")
                .readAllBytes(), StandardCharsets.UTF_8).replace("${DIR}", home.toString());
        Map<String, String> env = new HashMap<>();
        env.put("ROTOR_REENCRYPT_DATASOURCES_SCALED_URL", rows.jdbcUrl);
        env.put("ROTOR_REENCRYPT_DATASOURCES_SCALED_USERNAME", pg.user());
        env.put("ROTOR_REENCRYPT_DATASOURCES_SCALED_PASSWORD", pg.password());
        // 12 chunks of 7,500 rows, written in pages of 500, reporting progress every 100 ms: a chunk runs long
        // enough to be caught in the middle.
        env.put("ROTOR_REENCRYPT_SCALE_OUT_CHUNKS", "12");
        env.put("ROTOR_REENCRYPT_SCALE_OUT_MIN_ROWS_PER_CHUNK", "5000");
        env.put("ROTOR_REENCRYPT_CHUNK_SIZE", "500");
        env.put("ROTOR_REENCRYPT_PROGRESS_INTERVAL", "100ms");
        system = new RotorSystem(home, Files.writeString(home.resolve("catalog.yaml"), catalog), env, 1,
                WORKERS.size());
        api = new Api(system);
    }

    @AfterAll
    static void stopSystem() throws Exception {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void threeWorkersShareTheChunksAndOneKilledMidChunkLosesNoRow() throws Exception {
        String id = api.rotate("scaled-lockbox-key", "MANUAL", "scale-out");
        // A worker that is not the coordinator, caught while it runs a chunk that has written rows.
        long[] victim = new long[2];
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(20)).until(() -> {
            String coordinator = coordinator(id);
            if (coordinator == null) {
                return false;
            }
            for (String[] running : query("SELECT id, worker FROM rotor.reencrypt_chunks WHERE state = 'RUNNING'"
                    + " AND rows_done > 0")) {
                for (String w : WORKERS) {
                    ServiceProcess worker = system.service(w);
                    if (!w.equals(coordinator) && running[1].startsWith(worker.pid() + "@")) {
                        victim[0] = Long.parseLong(running[0]);
                        victim[1] = worker.pid();
                        worker.kill9();
                        return true;
                    }
                }
            }
            return false;
        });

        JsonNode rotation = api.awaitTerminal(id, Duration.ofSeconds(300));
        assertThat(rotation.get("state").asText()).as(rotation.toString()).isEqualTo("COMPLETED");
        Map<String, String> env = EnvFile.read(home.resolve("scaled.env"));
        assertThat(env).containsEntry("LOCKBOX_MASTER_KEY_PREVIOUS", initialKey);
        assertThat(rows.decryptingUnder(env.get("LOCKBOX_MASTER_KEY"))).isEqualTo(ROWS);
        assertThat(rows.decryptingUnder(initialKey)).isZero();

        List<String[]> chunks = query("SELECT id, state, rows, worker FROM rotor.reencrypt_chunks ORDER BY chunk_no");
        assertThat(chunks).hasSize(12).allSatisfy(c -> assertThat(c[1]).isEqualTo("DONE"));
        assertThat(chunks.stream().mapToLong(c -> Long.parseLong(c[2])).sum()).isEqualTo(ROWS);
        String finisher = chunks.stream().filter(c -> Long.parseLong(c[0]) == victim[0]).findFirst().orElseThrow()[3];
        assertThat(finisher).as("the killed worker's chunk was finished by another").doesNotStartWith(victim[1] + "@");
        assertThat(chunks.stream().map(c -> c[3].split("@")[0]).distinct().count())
                .as("workers that finished chunks").isGreaterThanOrEqualTo(2);
    }

    /** The worker whose log says it coordinates this rotation's chunks. */
    private static String coordinator(String rotationId) throws Exception {
        for (String w : WORKERS) {
            if (system.service(w).logText().contains("REENCRYPT of rotation " + rotationId
                    + " (attempt 1): coordinating")) {
                return w;
            }
        }
        return null;
    }

    private static List<String[]> query(String sql) throws SQLException {
        List<String[]> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(rows.jdbcUrl, pg.user(), pg.password());
                Statement st = c.createStatement()) {
            if (!Optional.ofNullable(scalar(st, "SELECT to_regclass('rotor.reencrypt_chunks')::text")).isPresent()) {
                return out;
            }
            try (ResultSet rs = st.executeQuery(sql)) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    String[] row = new String[n];
                    for (int i = 0; i < n; i++) {
                        row[i] = rs.getString(i + 1);
                    }
                    out.add(row);
                }
            }
        }
        return out;
    }

    private static String scalar(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}

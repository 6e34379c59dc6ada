package dev.rotor.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rotor.local.PgServer;
import dev.rotor.local.PostgresResource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A benchmark command, not a test (README "Scale-out"): the same online rotation with 1, then 2, ... reencrypt-worker
 * processes, each on a fresh table of the same size in the embedded PostgreSQL, printing the REENCRYPT step's time
 * and rows/s. Performance is printed, never asserted; only the correctness of each run is checked. Runs when asked:
 * <pre>./mvnw -o verify -pl deploy/system-tests -am -Dtest=ScaleOutBench -Drotor.bench.scale-out=200000 \
 *     -Drotor.bench.workers=1,2 -Dsurefire.failIfNoSpecifiedTests=false</pre>
 */
@EnabledIfSystemProperty(named = "rotor.bench.scale-out", matches = "\\d+")
class ScaleOutBench {

    @Test
    void reencryptStepTimeByWorkerCount() throws Exception {
        int rows = Integer.parseInt(System.getProperty("rotor.bench.scale-out"));
        List<String> lines = new ArrayList<>();
        for (String n : System.getProperty("rotor.bench.workers", "1,2").split(",")) {
            lines.add(run(rows, Integer.parseInt(n.strip())));
        }
        System.out.printf("%nscale-out bench, %,d rows, %d cores (REENCRYPT step, from the orchestrator's record):%n",
                rows, Runtime.getRuntime().availableProcessors());
        lines.forEach(System.out::println);
    }

    private static String run(int rows, int workers) throws Exception {
        Path home = Files.createTempDirectory("rotor-scale-bench");
        PgServer pg = PostgresResource.server();
        String db = "bench_" + Long.toHexString(System.nanoTime());
        pg.createDatabase(db);
        LockboxRows table = new LockboxRows(pg.jdbcUrl(db), pg.user(), pg.password());
        String key = LockboxRows.newHexKey();
        table.seed(key, rows);
        try (Connection c = DriverManager.getConnection(table.jdbcUrl, pg.user(), pg.password());
                Statement st = c.createStatement()) {
            st.execute("VACUUM ANALYZE credentials");
        }
        Files.writeString(home.resolve("scaled.env"), "LOCKBOX_MASTER_KEY=" + key + "\n");
        String catalog = new String(ScaleOutBench.class.getResourceAsStream("/scale-out-catalog.yaml")
                .readAllBytes(), StandardCharsets.UTF_8).replace("${DIR}", home.toString());
        Map<String, String> env = new HashMap<>();
        env.put("ROTOR_REENCRYPT_DATASOURCES_SCALED_URL", table.jdbcUrl);
        env.put("ROTOR_REENCRYPT_DATASOURCES_SCALED_USERNAME", pg.user());
        env.put("ROTOR_REENCRYPT_DATASOURCES_SCALED_PASSWORD", pg.password());
        // 12 chunks whatever the size, so that 1 to 4 workers get even shares.
        env.put("ROTOR_REENCRYPT_SCALE_OUT_MIN_ROWS_PER_CHUNK", String.valueOf(Math.max(1000, rows / 12)));
        // The launcher's JIT for the worker (C2): the crypto is what more workers share out.
        env.put("ROTOR_TEST_JAVA_OPTS", "-Xmx256m -XX:+UseSerialGC");
        try (RotorSystem system = new RotorSystem(home, Files.writeString(home.resolve("catalog.yaml"), catalog),
                env, 1, workers)) {
            Api api = new Api(system);
            String id = api.rotate("scaled-lockbox-key", "MANUAL", "scale-out bench");
            JsonNode rotation = api.awaitTerminal(id, Duration.ofMinutes(20));
            assertThat(rotation.get("state").asText()).as(rotation.toString()).isEqualTo("COMPLETED");
            assertThat(table.decryptingUnder(EnvFile.read(home.resolve("scaled.env")).get("LOCKBOX_MASTER_KEY")))
                    .isEqualTo(rows);
            for (JsonNode step : rotation.path("steps")) {
                if (step.path("step").asText().equals("REENCRYPT")) {
                    double s = Duration.between(Instant.parse(step.path("startedAt").asText()),
                            Instant.parse(step.path("finishedAt").asText())).toMillis() / 1000.0;
                    return String.format("  %d worker%s: %6.1f s, %,8.0f rows/s", workers, workers == 1 ? " " : "s",
                            s, rows / s);
                }
            }
            throw new IllegalStateException("no REENCRYPT step in " + rotation);
        }
    }
}

package dev.rotor.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotor.local.PgDatabases;
import dev.rotor.local.PgPassword;
import dev.rotor.local.auth.LocalAuth;
import dev.rotor.local.demo.LockboxTable;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code deploy/rotor bench reencrypt --saga}: a re-encrypting rotation timed the way a user meets it, from the
 * request to COMPLETED through the four running services, against the COPY floor of the same table in the same
 * database. The table is the demo's ToolJet-shaped {@code credentials} (uuid ids, ~200-byte JSON plaintexts in Lockbox
 * format under the {@code LOCKBOX_MASTER_KEY} of the demo {@code .env}); before anything is timed it is rewritten once
 * and vacuumed, and the line "table:" says so. Prints the floor, the rotation's time (as the client saw it and as the
 * orchestrator recorded it), each step's share, the ratio against its target, and checks every row decrypts under the
 * key the {@code .env} holds afterwards. Exits 0 only when the rotation COMPLETED and every row checks out. The
 * database password comes from {@code ROTOR_PG_PASSWORD} or {@code --password-file}, never the command line.
 */
@Command(name = "bench-reencrypt-saga", description = "Time a re-encrypting rotation through the services against the"
        + " COPY floor of the same table.")
public final class ReencryptSagaBench implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TABLE = "credentials";

    @Option(names = "--rows", defaultValue = "1000000")
    int rows;

    @Option(names = "--secret", defaultValue = "lockbox-master-key", description = "the catalog entry to rotate")
    String secretId;

    @Option(names = "--warmup-secret", defaultValue = "jwt-secret", description = "rotated first, untimed, so the"
            + " timed rotation meets services that have already run a saga (empty: none)")
    String warmupSecret;

    @Option(names = "--target", defaultValue = "1.25", description = "the ratio the rotation should stay within")
    double target;

    @Option(names = "--url", defaultValue = "http://127.0.0.1:8080", description = "the orchestrator")
    URI orchestrator;

    @Option(names = "--home", required = true, description = "ROTOR_HOME, whose local issuer signs the bench's token")
    Path home;

    @Option(names = "--jdbc-url", required = true, description = "the database holding the table")
    String jdbcUrl;

    @Option(names = "--admin-jdbc-url", description = "an existing database on the same server, through which the"
            + " table's database is created when it is missing")
    String adminJdbcUrl;

    @Option(names = "--user", defaultValue = "postgres")
    String user;

    @Option(names = "--password-file", description = "a file holding the password; else ROTOR_PG_PASSWORD")
    Path passwordFile;

    @Option(names = "--env-file", required = true, description = "the .env holding LOCKBOX_MASTER_KEY")
    Path envFile;

    @Option(names = "--no-checkpoint", description = "no CHECKPOINT after each VACUUM ANALYZE: each timed phase then"
            + " shares the disk with the writing-out of the phase before, as runs before the checkpoint was added did")
    boolean noCheckpoint;

    @Option(names = "--keep-table", description = "keep the seeded table when the run ends (by default it is dropped,"
            + " once checked: it is as large as the run's rows, in a database that is not the bench's)")
    boolean keepTable;

    @Option(names = "--timeout", defaultValue = "1800", description = "seconds to wait for the rotation")
    long timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        String keyBefore = LockboxTable.masterKeyIn(envFile)
                .orElseThrow(() -> new IllegalStateException("no LOCKBOX_MASTER_KEY in " + envFile));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        String bearer = "Bearer " + LocalAuth.open(home.resolve("auth"))
                .mint("bench", List.of("operator"), Duration.ofSeconds(timeoutSeconds).plusMinutes(15));
        if (!warmupSecret.isEmpty()) {
            long t = System.nanoTime();
            JsonNode warm = rotate(http, bearer, warmupSecret);
            System.out.printf("warm-up (not timed): a rotation of %s, %s in %.1f s%n", warmupSecret,
                    warm.path("state").asText(), secs(t));
        }
        double floor;
        double wholeFloor;
        String password = PgPassword.read(passwordFile, System.getenv("ROTOR_PG_PASSWORD"));
        if (adminJdbcUrl != null) {
            PgDatabases.create(adminJdbcUrl, user, password, LockboxTable.databaseOf(jdbcUrl));
        }
        try (Connection c = LockboxTable.connect(jdbcUrl, user, password)) {
            try (Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS " + TABLE); // rows under another run's key would not re-encrypt
            }
            long t = System.nanoTime();
            LockboxTable.seed(c, keyBefore, rows);
            System.out.printf("seeded %,d rows in %.1f s%n", rows, secs(t));
            // Untimed: a fresh table's first rewrite pays for growing its file; the floor and the rotation then both
            // meet a table that was rewritten once and vacuumed, as a table in use is.
            CopyFloor.run(c, TABLE, 10_000);
            CopyFloor.vacuum(c, TABLE, !noCheckpoint);
            System.out.printf("table: %s %,d rows, %s, rewritten once and vacuumed (not freshly seeded); %s%n",
                    TABLE, count(c), size(c), server(c));
            System.out.println(noCheckpoint ? "each timed phase starts after VACUUM ANALYZE, with no CHECKPOINT"
                    + " (--no-checkpoint): it may share the disk with the writing-out of the phase before"
                    : CopyFloor.checkpointRefused
                    ? "each timed phase starts after VACUUM ANALYZE; CHECKPOINT was refused (the user is neither a"
                            + " superuser nor in pg_checkpoint), so a phase may share the disk with the last one's writes"
                    : "each timed phase starts after VACUUM ANALYZE and CHECKPOINT: no dirty buffer from the one before");
            t = System.nanoTime();
            long floorRows = CopyFloor.run(c, TABLE, 10_000);
            floor = secs(t);
            System.out.printf("paged copy floor (per 10,000-row keyset page: read out, COPY in, UPDATE ... FROM; one transaction;"
                    + " no crypto): %,d rows in %.1f s,"
                    + " %,.0f rows/s%n", floorRows, floor, floorRows / floor);
            CopyFloor.vacuum(c, TABLE, !noCheckpoint);
            java.nio.file.Path spool = java.nio.file.Files.createTempFile("rotor-floor-", ".copy");
            t = System.nanoTime();
            long wholeRows = CopyFloor.runWhole(c, TABLE, spool);
            wholeFloor = secs(t);
            System.out.printf("whole-table floor (one COPY out to a file, one COPY in, one UPDATE ... FROM; no crypto,"
                    + " as issue 14 states it): %,d rows in %.1f s, %,.0f rows/s%n", wholeRows, wholeFloor,
                    wholeRows / wholeFloor);
            CopyFloor.vacuum(c, TABLE, !noCheckpoint);
        }

        long t0 = System.nanoTime();
        JsonNode rotation = rotate(http, bearer, secretId);
        double client = secs(t0);
        String state = rotation.path("state").asText();
        System.out.printf("rotation %s of %s (%s): %s%n", rotation.path("id").asText(), secretId,
                rotation.path("strategy").asText(), state);
        if (!state.equals("COMPLETED")) {
            System.out.println("not COMPLETED: " + rotation.path("error").asText(""));
            System.out.println("table: " + TABLE + " kept for inspection (drop it when done)");
            return 1;
        }
        double server = seconds(rotation.path("requestedAt"), rotation.path("completedAt"));
        System.out.printf("request -> COMPLETED: %.1f s at the client (POST to the poll that saw COMPLETED, every"
                + " 100 ms), %.1f s in the orchestrator's record%n", client, server);
        double steps = 0;
        for (JsonNode step : rotation.path("steps")) {
            double s = seconds(step.path("startedAt"), step.path("finishedAt"));
            steps += s;
            System.out.printf("  %-17s %-10s %7.2f s  %s%n", step.path("step").asText(),
                    step.path("direction").asText(), s, step.path("detail").asText("").replaceAll("\\s+", " "));
        }
        System.out.printf("  %-28s %7.2f s  (the saga's own time: between steps, and before the first)%n",
                "outside the steps", server - steps);

        String keyAfter = LockboxTable.masterKeyIn(envFile).orElse("");
        try (Connection c = LockboxTable.connect(jdbcUrl, user, password)) {
            long[] ok = LockboxTable.verify(c, keyAfter);
            System.out.printf("check: %,d of %,d rows decrypt to their plaintext under the new LOCKBOX_MASTER_KEY"
                    + " (the key changed: %s)%n", ok[0], ok[1], !keyAfter.equals(keyBefore));
            System.out.printf("%nratio: request -> COMPLETED / paged copy floor = %.1f / %.1f = %.2f (target <= %.2f)%n",
                    client, floor, client / floor, target);
            System.out.printf("ratio: request -> COMPLETED / whole-table copy floor = %.1f / %.1f = %.2f (target <="
                    + " %.2f)%n", client, wholeFloor, client / wholeFloor, target);
            System.out.println(dropShadow(c, rotation.path("id").asText()));
            boolean passed = ok[0] == ok[1] && ok[1] == rows && !keyAfter.equals(keyBefore);
            System.out.println(keepTable ? "table: " + TABLE + " kept (--keep-table)"
                    : !passed ? "table: " + TABLE + " kept for inspection: the check failed"
                    : dropTable(c));
            return passed ? 0 : 1;
        }
    }

    /**
     * Drops the rotation's shadow tables (schema {@code rotor}, see README "Shadow and rollback"): the bench's stack is
     * thrown away with its home, so its rotation never retires and nothing else would drop them, and the next run
     * drops the table they shadow. Each run left a shadow of the table's size behind before this.
     */
    private static String dropShadow(Connection c, String rotationId) throws SQLException {
        String tag = rotationId.replace("-", "");
        if (!tag.matches("[a-z0-9]{1,40}")) {
            return "shadow: not dropped, the rotation id '" + rotationId + "' is not one";
        }
        long bytes = 0;
        java.util.List<String> tables = new java.util.ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT tablename,"
                + " pg_total_relation_size(format('rotor.%I', tablename)) FROM pg_tables WHERE schemaname = 'rotor'"
                + " AND tablename LIKE 'shadow\\_" + tag + "\\_%'")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
                bytes += rs.getLong(2);
            }
        }
        try (Statement st = c.createStatement()) {
            for (String t : tables) {
                st.execute("DROP TABLE IF EXISTS rotor." + t);
            }
        }
        return String.format("shadow: %d table(s) of the rotation, %,d MB, dropped (the bench's stack is thrown away)",
                tables.size(), bytes >> 20);
    }

    /** Drops the seeded table: on a user's server it would otherwise stay, as large as the run (800 MB at 1M rows). */
    private static String dropTable(Connection c) throws SQLException {
        long bytes;
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT pg_total_relation_size('" + TABLE + "')")) {
            rs.next();
            bytes = rs.getLong(1);
        }
        try (Statement st = c.createStatement()) {
            st.execute("DROP TABLE " + TABLE);
        }
        return String.format("table: %s, %,d MB, dropped (--keep-table keeps it)", TABLE, bytes >> 20);
    }

    /** Requests a rotation and follows it to its end; the last view of it (state RUNNING when it timed out). */
    private JsonNode rotate(HttpClient http, String bearer, String secret) throws Exception {
        HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(orchestrator.resolve("/api/rotations"))
                .header("Content-Type", "application/json").header("Authorization", bearer)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("secretId", secret,
                        "trigger", "MANUAL", "reason", "bench reencrypt --saga"))))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (accepted.statusCode() != 202) {
            throw new IllegalStateException("the rotation of " + secret + " was refused (" + accepted.statusCode()
                    + "): " + accepted.body());
        }
        return follow(http, bearer, JSON.readTree(accepted.body()).get("id").asText());
    }

    private JsonNode follow(HttpClient http, String bearer, String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
        JsonNode last = JSON.createObjectNode();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(orchestrator.resolve("/api/rotations/" + id))
                    .header("Authorization", bearer).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                last = JSON.readTree(r.body());
                String state = last.path("state").asText();
                if (state.equals("COMPLETED") || state.equals("ROLLED_BACK") || state.equals("FAILED")) {
                    return last;
                }
            }
            Thread.sleep(100);
        }
        return last;
    }


    private static double seconds(JsonNode from, JsonNode to) {
        if (!from.isTextual() || !to.isTextual()) {
            return 0;
        }
        return Duration.between(Instant.parse(from.asText()), Instant.parse(to.asText())).toMillis() / 1000.0;
    }

    private static long count(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM " + TABLE)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static String size(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                "SELECT pg_size_pretty(pg_total_relation_size('" + TABLE + "'))")) {
            r.next();
            return r.getString(1) + " with indexes";
        }
    }

    private static String server(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT current_setting('server_version'),"
                + " current_setting('shared_buffers'), current_setting('synchronous_commit'),"
                + " current_setting('max_wal_size')")) {
            r.next();
            return "PostgreSQL " + r.getString(1) + " (shared_buffers " + r.getString(2) + ", synchronous_commit "
                    + r.getString(3) + ", max_wal_size " + r.getString(4) + ")";
        }
    }


    private static double secs(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}

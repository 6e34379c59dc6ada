package dev.rotor.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotor.contracts.messages.AuditCheckpoint;
import dev.rotor.contracts.messages.MessageCodec;
import dev.rotor.contracts.messages.StepRequested;
import dev.rotor.local.audit.AuditCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Two orchestrator processes on one database and one broker (the same consumer groups), as the manifests' two
 * replicas run. 100 dual-key rotations (20 secrets, 5 rounds each, one rotation of a secret at a time) are requested
 * alternately from both; when about half have ended, one orchestrator is killed with {@code kill -9}. The survivor
 * must finish every rotation: the timers the dead one would have fired, the replies on the partitions it read (they
 * move after the Kafka session timeout), and the outbox rows it was relaying. Then, for every rotation:
 * <ul>
 * <li>the API and the audit log (the saga's recorded history) hold exactly one terminal state, COMPLETED;</li>
 * <li>each step attempt was started once and ended once, attempts numbered 1..n, and exactly one step command (one
 * CloudEvent id, one payload) went out per attempt;</li>
 * <li>on {@code rotor.rotations}, each CloudEvent id carries one content however often it was sent (a relay that dies
 * after the broker's ack sends its batch again), and after de-duplication by id each (rotation, milestone) is there
 * once, in order; the notifier, which de-duplicates on (CloudEvent id, channel), posts each one once to the webhook;</li>
 * <li>nothing is left behind: no unpublished outbox row, no due unfired timer, and each secret's store labels show the
 * five rotations and four retirements.</li>
 * </ul>
 * The audit chain verifies, each audit checkpoint both instances published is on the topic under one CloudEvent id,
 * and the archive webhook (the catalog's {@code notify.audit-checkpoints}) got each of them once, with that id.
 */
class TwoOrchestratorsSystemTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SECRETS = 20;
    private static final int ROUNDS = 5;
    private static final int ROTATIONS = SECRETS * ROUNDS;
    private static final String INITIAL = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private static final String KILLED = "orchestrator";
    private static final String SURVIVOR = "orchestrator-2";
    private static final Set<String> TERMINAL_ENTRIES = Set.of("rotation-completed", "rotation-rolled-back",
            "rotation-failed");

    @TempDir
    static Path home;
    static HookReceiver hooks;
    static RotorSystem system;
    static Map<String, Api> apis;
    static TopicReader topics;
    static long startedAt;
    /** Requests to the killed instance that the kill cut off (their outcome read from the survivor). */
    static final AtomicInteger cut = new AtomicInteger();

    /** One requested rotation: which secret, which round of it, its id, and the instance that accepted it. */
    record Requested(String secret, int round, String id, String via) {
    }

    @BeforeAll
    static void startSystem() throws Exception {
        startedAt = System.nanoTime();
        hooks = new HookReceiver();
        StringBuilder catalog = new StringBuilder("secrets:\n");
        for (int i = 1; i <= SECRETS; i++) {
            String id = secret(i);
            Path env = Files.writeString(home.resolve(id + ".env"), "SECRET=" + INITIAL + "\nSECRET_PREVIOUS=\n");
            catalog.append("  - id: ").append(id).append('\n')
                    .append("    kind: signing-key\n    strategy: dual-key\n")
                    .append("    generator: { type: hex, bytes: 32 }\n")
                    .append("    store: { type: local, path: multi/").append(id).append(" }\n")
                    .append("    targets:\n      - { type: env-file, path: \"").append(env)
                    .append("\", variable: SECRET, previous-variable: SECRET_PREVIOUS }\n")
                    // Kept in grace until the next rotation of the secret retires it (a RETIRE timer due at once).
                    .append("    grace: 7d\n    notify: [ audit-hook ]\n");
        }
        catalog.append("notify:\n  channels:\n    audit-hook: { type: webhook, url: \"")
                .append(hooks.url("/hook")).append("\" }\n  audit-checkpoints: [ audit-hook ]\n");
        system = new RotorSystem(home, Files.writeString(home.resolve("catalog.yaml"), catalog), Map.of(
                // A step's reply waits for the dead instance's partitions to move: the session timeout (6 s, the
                // broker's minimum) is well inside the step timeout, so the takeover needs no retry.
                "KAFKA_SESSION_TIMEOUT_MS", "6000",
                "KAFKA_HEARTBEAT_INTERVAL_MS", "2000",
                "ROTOR_ORCHESTRATOR_STEP_TIMEOUT", "30s",
                "ROTOR_ORCHESTRATOR_BACKOFF", "0.5s",
                // Both instances publish the audit chain's head often, and often the same head.
                "ROTOR_AUDIT_CHECKPOINT_INTERVAL", "2s"), 2);
        apis = Map.of(KILLED, new Api(system, KILLED), SURVIVOR, new Api(system, SURVIVOR));
        topics = new TopicReader(system.bootstrap);
        System.out.printf("two orchestrators: system up after %.1f s%n", seconds(startedAt));
    }

    @AfterAll
    static void stopSystem() throws Exception {
        if (system != null) {
            system.close();
        }
        if (hooks != null) {
            hooks.close();
        }
    }

    @Test
    void hundredRotationsOnTwoInstancesOneKilledHalfwayEachEndOnceWithEachMilestoneOnce() throws Exception {
        long begin = System.nanoTime();
        List<Requested> requested = java.util.Collections.synchronizedList(new ArrayList<>());
        Set<String> active = ConcurrentHashMap.newKeySet();
        AtomicInteger ended = new AtomicInteger();
        ExecutorService lanes = Executors.newFixedThreadPool(SECRETS);
        List<Future<?>> running = new ArrayList<>();
        for (int i = 1; i <= SECRETS; i++) {
            int lane = i;
            running.add(lanes.submit(() -> {
                for (int round = 1; round <= ROUNDS; round++) {
                    int n = (round - 1) * SECRETS + lane;
                    Requested r = request(secret(lane), round, n % 2 == 0 ? KILLED : SURVIVOR);
                    requested.add(r);
                    active.add(r.id());
                    // One rotation of a secret at a time: the next round starts once this one ended.
                    apis.get(SURVIVOR).awaitTerminal(r.id(), Duration.ofSeconds(150));
                    active.remove(r.id());
                    ended.incrementAndGet();
                }
                return null;
            }));
        }
        await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(50))
                .until(() -> ended.get() >= ROTATIONS / 2);
        Set<String> inFlight = Set.copyOf(active);
        system.service(KILLED).kill9();
        long killedAt = System.nanoTime();
        assertThat(inFlight).as("rotations in flight at the kill").isNotEmpty();
        try {
            for (Future<?> lane : running) {
                lane.get(150, TimeUnit.SECONDS);
            }
        } finally {
            lanes.shutdownNow();
        }
        System.out.printf("two orchestrators: %d rotations ended %.1f s after the first request, %d of them in flight"
                + " at the kill (%.1f s in), the last %.1f s after it%n", ROTATIONS, seconds(begin), inFlight.size(),
                (killedAt - begin) / 1e9, seconds(killedAt));

        assertThat(requested).hasSize(ROTATIONS).extracting(Requested::id).doesNotHaveDuplicates();
        assertThat(requested).filteredOn(r -> r.via().equals(KILLED)).isNotEmpty();
        assertThat(requested).filteredOn(r -> r.via().equals(SURVIVOR)).isNotEmpty();
        Api survivor = apis.get(SURVIVOR);
        // The API: these rotations and no other, each COMPLETED.
        Map<String, String> states = new HashMap<>();
        for (JsonNode r : survivor.list(500)) {
            states.put(r.get("id").asText(), r.get("state").asText());
        }
        assertThat(states.keySet()).containsExactlyInAnyOrderElementsOf(
                requested.stream().map(Requested::id).toList());
        assertThat(states.values()).as("every rotation's state").containsOnly("COMPLETED");

        // Each retirement of the version a later rotation made previous ends too (after its rotation completed).
        Map<String, List<String>> expected = new HashMap<>();
        for (Requested r : requested) {
            List<String> milestones = new ArrayList<>(List.of("rotation-requested", "secret-staged",
                    "secret-updated", "rotation-completed"));
            if (r.round() < ROUNDS) {
                milestones.add("previous-retired");
            }
            expected.put(r.id(), milestones);
        }
        int expectedEvents = expected.values().stream().mapToInt(List::size).sum();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> hooks.at("/hook").size() >= expectedEvents);

        Map<String, JsonNode> audits = new HashMap<>();
        for (Requested r : requested) {
            audits.put(r.id(), survivor.audit(r.id()));
            assertRecordedHistory(r, audits.get(r.id()));
        }
        assertStepCommandsOncePerAttempt(audits);
        Map<String, String> milestoneIds = assertMilestonesOnceEach(expected);
        assertWebhookGotEachOnce(expected, milestoneIds);
        assertNothingLeftBehind();
        assertAuditChainIntact();
        assertEachCheckpointOnce();
        for (int i = 1; i <= SECRETS; i++) {
            assertThat(labels("multi/" + secret(i))).as(secret(i)).containsExactly("1:retired", "2:retired",
                    "3:retired", "4:retired", "5:previous", "6:current");
            assertThat(EnvFile.read(home.resolve(secret(i) + ".env")).get("SECRET")).matches("[0-9a-f]{64}")
                    .isNotEqualTo(INITIAL);
        }
        System.out.printf("two orchestrators: an outbox row's wait from its write to the relay batch that sent it, p50 %.2f s, p99 %.2f s, max %.2f s%n",
                quantile(0.5), quantile(0.99), quantile(1.0));
        String log = system.service(SURVIVOR).logText();
        System.out.printf("two orchestrators: %d requested from the killed instance (%d cut off by the kill); the"
                + " survivor ignored %d duplicate and %d stale replies; %.1f s in all%n",
                requested.stream().filter(r -> r.via().equals(KILLED)).count(), cut.get(),
                occurrences(log, ": duplicate "),
                occurrences(log, ": stale "), seconds(startedAt));
    }

    private static int occurrences(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    /**
     * Requests a rotation from {@code via}, or from the survivor once {@code via} is dead. A request cut by the kill
     * may or may not have committed: the survivor's list says which (each request's reason is unique).
     */
    private static Requested request(String secret, int round, String via) throws Exception {
        String reason = "two instances: " + secret + " round " + round;
        if (system.service(via).alive()) {
            try {
                return new Requested(secret, round, apis.get(via).rotate(secret, "MANUAL", reason), via);
            } catch (IOException killed) {
                cut.incrementAndGet();
                for (JsonNode r : apis.get(SURVIVOR).list(500)) {
                    if (r.get("reason").asText().equals(reason)) {
                        return new Requested(secret, round, r.get("id").asText(), via);
                    }
                }
            }
        }
        return new Requested(secret, round, apis.get(SURVIVOR).rotate(secret, "MANUAL", reason), SURVIVOR);
    }

    /**
     * The audit log of one rotation: exactly one terminal entry, COMPLETED; per step and direction, attempts started
     * as 1..n, each started once and ended once (failed and retried, or the last one succeeded).
     */
    private static void assertRecordedHistory(Requested r, JsonNode audit) {
        List<String> kinds = new ArrayList<>();
        audit.forEach(e -> kinds.add(e.get("kind").asText()));
        assertThat(kinds).as("audit of %s", r).filteredOn(TERMINAL_ENTRIES::contains)
                .containsExactly("rotation-completed");
        assertThat(kinds).as("audit of %s", r).containsOnlyOnce("rotation-requested", "rotation-started");
        Map<String, List<Integer>> started = new TreeMap<>();
        Map<String, List<String>> outcomes = new TreeMap<>();
        for (JsonNode e : audit) {
            String kind = e.get("kind").asText();
            if (!kind.startsWith("step-")) {
                continue;
            }
            JsonNode d = e.get("detail");
            String step = d.get("step").asText() + "/" + d.get("direction").asText();
            int attempt = d.get("attempt").asInt();
            if (kind.equals("step-started")) {
                started.computeIfAbsent(step, s -> new ArrayList<>()).add(attempt);
            } else {
                outcomes.computeIfAbsent(step, s -> new ArrayList<>()).add(attempt + ":" + kind
                        + (kind.equals("step-failed") ? ":" + d.get("retrying").asBoolean() : ""));
            }
        }
        Set<String> steps = new HashSet<>(Set.of("STAGE_SECRET/FORWARD", "UPDATE_SECRET/FORWARD"));
        if (r.round() < ROUNDS) {
            steps.add("RETIRE_PREVIOUS/FORWARD");
        }
        assertThat(started.keySet()).as("steps of %s", r).containsExactlyInAnyOrderElementsOf(steps);
        for (var step : started.entrySet()) {
            int attempts = step.getValue().size();
            List<String> expected = new ArrayList<>();
            for (int a = 1; a < attempts; a++) {
                expected.add(a + ":step-failed:true");
            }
            expected.add(attempts + ":step-succeeded");
            assertThat(step.getValue()).as("attempts of %s in %s", step.getKey(), r)
                    .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, attempts).boxed().toList());
            assertThat(outcomes.get(step.getKey())).as("outcomes of %s in %s", step.getKey(), r)
                    .containsExactlyElementsOf(expected);
        }
    }

    /**
     * On {@code rotor.step-commands}: per (rotation, step, direction, attempt) one CloudEvent id and one payload (a
     * resend repeats both), and exactly the attempts the audit log says were started.
     */
    private static void assertStepCommandsOncePerAttempt(Map<String, JsonNode> audits) {
        Set<String> ids = audits.keySet();
        Map<String, Set<String>> eventIds = new TreeMap<>();
        Map<String, Set<String>> payloads = new TreeMap<>();
        for (TopicReader.Rec rec : topics.readAll(Set.of("rotor.step-commands"))) {
            if (rec.key() == null || !ids.contains(rec.key())) {
                continue;
            }
            StepRequested cmd = (StepRequested) MessageCodec.decode(rec.type(), rec.value());
            String attempt = cmd.rotationId() + " " + cmd.step() + "/" + cmd.direction() + " #" + cmd.attempt();
            eventIds.computeIfAbsent(attempt, a -> new HashSet<>()).add(rec.id());
            payloads.computeIfAbsent(attempt, a -> new HashSet<>()).add(Arrays.toString(rec.value()));
        }
        assertThat(eventIds).allSatisfy((attempt, eventId) -> assertThat(eventId).as(attempt).hasSize(1));
        assertThat(payloads).allSatisfy((attempt, payload) -> assertThat(payload).as(attempt).hasSize(1));
        Set<String> started = new HashSet<>();
        for (var audit : audits.entrySet()) {
            for (JsonNode e : audit.getValue()) {
                if (e.get("kind").asText().equals("step-started")) {
                    JsonNode d = e.get("detail");
                    started.add(audit.getKey() + " " + d.get("step").asText() + "/" + d.get("direction").asText() + " #"
                            + d.get("attempt").asInt());
                }
            }
        }
        assertThat(eventIds.keySet()).containsExactlyInAnyOrderElementsOf(started);
    }

    /**
     * On {@code rotor.rotations}: each CloudEvent id with one content (type, key, payload), and per rotation, after
     * de-duplication by id, the expected milestones once each in order. Returns (rotation id + type) to event id.
     */
    private static Map<String, String> assertMilestonesOnceEach(Map<String, List<String>> expected) {
        Map<String, Set<String>> contents = new LinkedHashMap<>();
        Map<String, List<String>> distinct = new HashMap<>();
        Map<String, String> eventIds = new HashMap<>();
        int records = 0;
        for (TopicReader.Rec rec : topics.readAll(Set.of("rotor.rotations"))) {
            if (rec.key() == null || !expected.containsKey(rec.key())) {
                continue;
            }
            records++;
            String type = rec.type().replace("dev.rotor.", "").replace(".v1", "");
            if (contents.computeIfAbsent(rec.id(), id -> new HashSet<>())
                    .add(rec.key() + " " + rec.type() + " " + Arrays.toString(rec.value()))
                    && contents.get(rec.id()).size() == 1) {
                distinct.computeIfAbsent(rec.key(), k -> new ArrayList<>()).add(type);
                eventIds.put(rec.key() + " " + type, rec.id());
            }
        }
        assertThat(contents).allSatisfy((id, content) -> assertThat(content).as("event %s", id).hasSize(1));
        assertThat(distinct).containsExactlyInAnyOrderEntriesOf(expected);
        System.out.printf("rotor.rotations: %d records of %d events (%d sent again)%n", records, contents.size(),
                records - contents.size());
        return eventIds;
    }

    /** The notifier de-duplicates on (CloudEvent id, channel): the webhook gets each milestone once. */
    private static void assertWebhookGotEachOnce(Map<String, List<String>> expected, Map<String, String> eventIds)
            throws Exception {
        Map<String, String> received = new HashMap<>();
        List<String> repeated = new ArrayList<>();
        for (HookReceiver.Received r : hooks.at("/hook")) {
            JsonNode event = JSON.readTree(r.body());
            if (event.get("subject").asText().equals(AuditCheckpoint.SUBJECT)) {
                continue; // the archive's share of the webhook: assertEachCheckpointOnce
            }
            String key = event.get("subject").asText() + " "
                    + event.get("type").asText().replace("dev.rotor.", "").replace(".v1", "");
            if (received.put(key, event.get("id").asText()) != null) {
                repeated.add(key);
            }
        }
        assertThat(repeated).as("milestones posted twice").isEmpty();
        assertThat(received).containsExactlyInAnyOrderEntriesOf(eventIds);
        assertThat(received).hasSize(expected.values().stream().mapToInt(List::size).sum());
    }

    /** No outbox row unpublished and no timer due but unfired: the survivor took over everything. */
    private static void assertNothingLeftBehind() {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(count("select count(*) from outbox where published_at is null")).isZero();
            assertThat(count("select count(*) from timer where fired_at is null and due_at <= now()")).isZero();
        });
    }

    /**
     * Both instances chained audit entries (each every half second, under the head's row lock), and one died doing
     * it or not: {@code rotor audit verify} must still walk one unbroken chain.
     */
    private static void assertAuditChainIntact() throws Exception {
        Path password = Files.createTempFile(home, "pg", ".password",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(password, system.dbPassword);
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new AuditCommand());
        cli.setOut(new PrintWriter(out, true));
        int code = cli.execute("verify", "--jdbc-url", system.jdbcUrl, "--user", system.dbUser, "--password-file",
                password.toString());
        assertThat(code).as(out.toString()).isZero();
        assertThat(out.toString()).startsWith("audit chain OK: ");
    }

    /**
     * A quantile of the outbox rows' wait from their write ({@code created_at}) to the start of the relay batch that
     * sent them ({@code published_at}), in seconds; printed, not asserted.
     */
    private static double quantile(double q) throws Exception {
        try (Connection c = DriverManager.getConnection(system.jdbcUrl, system.dbUser, system.dbPassword);
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select percentile_cont(" + q
                        + ") within group (order by extract(epoch from published_at - created_at)) from outbox")) {
            rs.next();
            return rs.getDouble(1);
        }
    }

    /**
     * The audit checkpoints this system published (their ids are in its outbox): each head, (seq, hash), under one
     * CloudEvent id, although both instances published the head they saw every 2 s.
     */
    private static void assertEachCheckpointOnce() throws Exception {
        Set<String> ours = new HashSet<>();
        try (Connection c = DriverManager.getConnection(system.jdbcUrl, system.dbUser, system.dbPassword);
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                        "select id from outbox where type = 'dev.rotor.audit-checkpoint.v1'")) {
            while (rs.next()) {
                ours.add(rs.getString(1));
            }
        }
        Map<String, Set<String>> idsByHead = new TreeMap<>();
        for (TopicReader.Rec rec : topics.readAll(Set.of("rotor.rotations"))) {
            if (ours.contains(rec.id())) {
                JsonNode checkpoint = JSON.readTree(rec.value());
                idsByHead.computeIfAbsent(checkpoint.get("seq").asLong() + " " + checkpoint.get("headHash").asText(),
                        h -> new HashSet<>()).add(rec.id());
            }
        }
        assertThat(idsByHead).as("checkpoints").hasSizeGreaterThan(1)
                .allSatisfy((head, ids) -> assertThat(ids).as("checkpoint of %s", head).hasSize(1));

        // The archive (the catalog's notify.audit-checkpoints webhook) gets each of them once, with the same id:
        // the notifier de-duplicates on (CloudEvent id, channel) as for milestones.
        Map<String, String> published = new TreeMap<>();
        idsByHead.forEach((head, ids) -> published.put(ids.iterator().next(), head));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Map<String, String> archived = new TreeMap<>();
            List<String> twice = new ArrayList<>();
            for (HookReceiver.Received r : hooks.at("/hook")) {
                JsonNode event = JSON.readTree(r.body());
                if (!event.get("subject").asText().equals(AuditCheckpoint.SUBJECT)) {
                    continue;
                }
                assertThat(event.get("type").asText()).isEqualTo("dev.rotor.audit-checkpoint.v1");
                String head = event.at("/data/seq").asLong() + " " + event.at("/data/headHash").asText();
                if (archived.put(event.get("id").asText(), head) != null) {
                    twice.add(head);
                }
            }
            assertThat(twice).as("checkpoints archived twice").isEmpty();
            assertThat(archived).containsAllEntriesOf(published);
        });
    }

    private static long count(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(system.jdbcUrl, system.dbUser, system.dbPassword);
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String> labels(String storePath) throws Exception {
        List<String> labels = new ArrayList<>();
        for (JsonNode v : apis.get(SURVIVOR).versions(storePath)) {
            labels.add(v.get("version").asInt() + ":" + v.get("label").asText());
        }
        return labels;
    }

    private static String secret(int i) {
        return String.format("multi-%02d", i);
    }
}

package dev.rotor.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two secret-sync processes in one consumer group on one Vault ({@link FakeVaultKv}), as the Vault overlay's two
 * replicas run, each with a home (local keystore) of its own. Dual-key rotations of several secrets run in rounds
 * until both replicas have handled commands; in the next round {@code secret-sync-2} is killed with {@code kill -9}
 * while its commands are in flight, so its partitions, and the commands it had not acknowledged, move to the
 * survivor, which finds in Vault what the dead one did; one more round runs on the survivor alone. Every rotation
 * must end COMPLETED with an unbroken version chain, and Vault and the {@code .env} targets must hold exactly the last
 * rotation's current and previous values, with every other version destroyed, no pending version, no write mark
 * left, and only the last rotation's undo copies live. (That the local keystore's file lock refuses a second process
 * on one home is {@code LocalKeystoreStoreTest}'s, with a real second JVM: here each replica has a home of its own.)
 */
class SecretSyncReplicasSystemTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int SECRETS = 6;
    private static final Pattern EXECUTIONS = Pattern.compile("(?m)^rotor_step_executions_total\\{[^}]*} ([0-9.E]+)$");

    @TempDir
    Path dir;

    @Test
    void twoReplicasOnVaultOneKilledMidRoundCompleteEveryRotationExactly() throws Exception {
        StringBuilder catalog = new StringBuilder("secrets:\n");
        try (FakeVaultKv vault = new FakeVaultKv()) {
            for (int i = 1; i <= SECRETS; i++) {
                Files.writeString(dir.resolve("replica-" + i + ".env"), "SECRET=initial-value-" + i
                        + "-0123456789abcdef\nSECRET_PREVIOUS=\n");
                catalog.append("""
                          - id: replica-%1$d
                            kind: signing-key
                            strategy: dual-key
                            generator: { type: base64, bytes: 32 }
                            store: { type: vault, path: app/replica-%1$d }
                            targets:
                              - { type: env-file, path: "%2$s", variable: SECRET, previous-variable: SECRET_PREVIOUS }
                            grace: 7d
                        """.formatted(i, dir.resolve("replica-" + i + ".env")));
            }
            Path home = Files.createDirectories(dir.resolve("home"));
            try (RotorSystem system = new RotorSystem(home, Files.writeString(dir.resolve("catalog.yaml"), catalog),
                    // The broker's least session timeout: the dead replica's partitions move after 6 s, not 10 s;
                    // a lease it died holding blocks its secret for 5 s, not 15 s.
                    Map.of("ROTOR_SYNC_VAULT_ADDRESS", vault.address(), "ROTOR_SYNC_VAULT_TOKEN", FakeVaultKv.TOKEN,
                            "KAFKA_SESSION_TIMEOUT_MS", "6000", "KAFKA_HEARTBEAT_INTERVAL_MS", "2000",
                            "ROTOR_SYNC_VAULT_LEASE", "PT5S"),
                    1, 1, 2)) {
                Api api = new Api(system);
                Map<String, List<JsonNode>> done = new LinkedHashMap<>();

                // Rounds until both replicas have handled commands (the rotation ids spread over the partitions).
                int rounds = 0;
                while (rounds < 5 && (executions(system.service("secret-sync")) == 0
                        || executions(system.service("secret-sync-2")) == 0)) {
                    awaitAll(api, round(api), done);
                    rounds++;
                }
                assertThat(executions(system.service("secret-sync"))).as("secret-sync handled commands").isPositive();
                assertThat(executions(system.service("secret-sync-2"))).as("secret-sync-2 handled commands")
                        .isPositive();

                // The kill: while this round's commands are in flight on both replicas.
                List<String> inFlight = round(api);
                Thread.sleep(300);
                system.service("secret-sync-2").kill9();
                long killedAt = System.nanoTime();
                int notDone = 0;
                for (String id : inFlight) {
                    notDone += api.rotation(id).get("state").asText().equals("COMPLETED") ? 0 : 1;
                }
                awaitAll(api, inFlight, done);
                // The survivor alone.
                awaitAll(api, round(api), done);

                for (int i = 1; i <= SECRETS; i++) {
                    assertSecret(vault, i, done.get("replica-" + i), rounds + 2);
                }
                String logs = system.allLogs();
                for (int i = 1; i <= SECRETS; i++) {
                    for (String value : vault.secret("secret/app/replica-" + i).data.stream()
                            .map(d -> d.get("value")).toList()) {
                        assertThat(logs).doesNotContain(value);
                    }
                }

                System.out.printf("secret-sync replicas: %d round(s) before the kill, %d of the kill round's %d"
                        + " rotations not yet COMPLETED right after the kill, %.1f s from the kill to the last COMPLETED%n",
                        rounds, notDone, inFlight.size(), (System.nanoTime() - killedAt) / 1e9);
            }
        }
    }

    /** Requests one MANUAL rotation of every secret; returns their ids, in secret order. */
    private static List<String> round(Api api) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= SECRETS; i++) {
            ids.add(api.rotate("replica-" + i, "MANUAL", "replicas"));
        }
        return ids;
    }

    private static void awaitAll(Api api, List<String> ids, Map<String, List<JsonNode>> done) throws Exception {
        for (String id : ids) {
            JsonNode rotation = api.awaitTerminal(id, Duration.ofSeconds(90));
            assertThat(rotation.get("state").asText()).as(rotation.toString()).isEqualTo("COMPLETED");
            done.computeIfAbsent(rotation.get("secretId").asText(), k -> new ArrayList<>()).add(rotation);
        }
    }

    /**
     * One secret after all rounds: each rotation staged on top of the one before (version 1 adopted from the .env);
     * the last one's versions current and previous in Vault's labels and in the .env, every other version destroyed,
     * nothing pending, no write mark, and of the undo copies only the newest version live, holding the last
     * rotation's copies only.
     */
    private void assertSecret(FakeVaultKv vault, int i, List<JsonNode> rotations, int expected) throws Exception {
        assertThat(rotations).hasSize(expected);
        int from = 1;
        for (JsonNode r : rotations) {
            assertThat(r.get("fromVersion").asInt()).as(r.toString()).isEqualTo(from);
            assertThat(r.get("toVersion").asInt()).as(r.toString()).isGreaterThan(from);
            from = r.get("toVersion").asInt();
        }
        JsonNode last = rotations.get(rotations.size() - 1);
        int current = last.get("toVersion").asInt();
        int previous = last.get("fromVersion").asInt();

        FakeVaultKv.Secret store = vault.secret("secret/app/replica-" + i);
        Map<String, String> labels = new LinkedHashMap<>();
        store.custom.forEach((k, v) -> {
            if (!k.matches("rotor\\.v\\d+")) {
                labels.put(k, v);
            }
        });
        assertThat(labels).containsExactly(Map.entry("rotor.current", String.valueOf(current)),
                Map.entry("rotor.previous", String.valueOf(previous)));
        for (int v = 1; v <= store.data.size(); v++) {
            String label = store.custom.containsKey("rotor.v" + v)
                    ? JSON.readTree(store.custom.get("rotor.v" + v)).path("label").asText() : "(none)";
            if (v == current || v == previous) {
                assertThat(store.state.get(v - 1)).as("version %d of replica-%d", v, i).isEmpty();
                assertThat(label).isEqualTo(v == current ? "current" : "previous");
            } else {
                assertThat(store.state.get(v - 1)).as("version %d of replica-%d (%s)", v, i, label)
                        .isEqualTo("destroyed");
                assertThat(label).isIn("retired", "(none)");
            }
        }
        assertThat(store.data.get(0)).containsExactly(Map.entry("value", "initial-value-" + i + "-0123456789abcdef"));
        assertThat(Files.readString(dir.resolve("replica-" + i + ".env"))).isEqualTo("SECRET="
                + store.data.get(current - 1).get("value") + "\nSECRET_PREVIOUS="
                + store.data.get(previous - 1).get("value") + "\n");

        FakeVaultKv.Secret undo = vault.secret("secret/rotor-undo/app/replica-" + i);
        List<String> live = new ArrayList<>();
        for (int v = 1; v <= undo.data.size(); v++) {
            if (!undo.state.get(v - 1).equals("destroyed")) {
                live.add(String.valueOf(v));
            }
        }
        assertThat(live).containsExactly(String.valueOf(undo.data.size()));
        String id = last.get("id").asText();
        assertThat(undo.newest()).containsOnlyKeys(id + "/0.variable", id + "/0.previous");
    }

    /** The replica's step executions so far, from its Prometheus endpoint. */
    private static double executions(ServiceProcess sync) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(sync.managementUrl("/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        double sum = 0;
        Matcher m = EXECUTIONS.matcher(r.body());
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
        }
        return sum;
    }
}

package dev.rotor.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dual-key rotation whose entry has {@code reload:} and {@code retire-when:}, across the four services as processes:
 * real secret-sync rewrites the app's .env, the orchestrator calls the app's reload hook, and the app, which reads its
 * .env on the hook and reports at /health/keys the version of the key it runs (the values it has run, numbered in
 * order, as a key id would), runs the new value before the rotation is COMPLETED. Then the usage gate asks the app
 * for the previous version's share of use: the retirement is deferred while it is high, and done once it is low.
 */
class ReloadSystemTest {
    private static final String INITIAL = "initial-reload-app-secret-0123456789abcdef";

    @TempDir
    static Path home;
    static Path envFile;
    static HttpServer app;
    static final List<String> loaded = new CopyOnWriteArrayList<>();
    static final List<String> hookBodies = new CopyOnWriteArrayList<>();
    static final List<String> usageProbes = new CopyOnWriteArrayList<>();
    static volatile double previousShare = 0.4;
    static RotorSystem system;
    static Api api;

    @BeforeAll
    static void startSystem() throws Exception {
        envFile = home.resolve("app.env");
        Files.writeString(envFile, "APP_NAME=demo\nAPP_KEY=" + INITIAL + "\n");
        load();
        app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        app.createContext("/reload", exchange -> {
            hookBodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            load();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        // The share of requests still signed with a version, as the app counts them; the test lowers it.
        app.createContext("/usage/", exchange -> {
            usageProbes.add(exchange.getRequestURI().getPath());
            byte[] body = ("{\"previousShare\":" + previousShare + "}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        app.createContext("/health/keys", exchange -> {
            byte[] body = ("{\"status\":\"UP\",\"keyVersion\":" + loaded.size() + "}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        app.start();
        String base = "http://127.0.0.1:" + app.getAddress().getPort();
        String catalog = """
                secrets:
                  - id: app-key
                    kind: signing-key
                    strategy: dual-key
                    generator: { type: base64, bytes: 32 }
                    store: { type: local, path: app/app-key }
                    targets:
                      - { type: env-file, path: "%s", variable: APP_KEY }
                    grace: 1s
                    retire-when: { source: http, url: "%s/usage/{version}", max-share: 5%%, for: 3s, max-grace: 1h }
                    reload:
                      - { type: http, url: "%s/reload", timeout: 20s,
                          health: { url: "%s/health/keys", version-field: keyVersion } }
                """.formatted(envFile, base, base, base);
        Path catalogFile = Files.writeString(home.resolve("catalog.yaml"), catalog);
        system = new RotorSystem(home, catalogFile, Map.of("ROTOR_ORCHESTRATOR_RETIRE_GATE_CHECK_INTERVAL", "1s"));
        api = new Api(system);
    }

    private static List<String> kinds(String rotation) throws Exception {
        List<String> kinds = new java.util.ArrayList<>();
        api.audit(rotation).forEach(e -> kinds.add(e.get("kind").asText()));
        return kinds;
    }

    private static JsonNode entry(String rotation, String kind) throws Exception {
        for (JsonNode e : api.audit(rotation)) {
            if (e.get("kind").asText().equals(kind)) {
                return e;
            }
        }
        throw new AssertionError("no " + kind + " entry for rotation " + rotation);
    }

    private static List<String> labels() throws Exception {
        List<String> labels = new java.util.ArrayList<>();
        for (JsonNode v : api.versions("app/app-key")) {
            labels.add(v.get("version").asInt() + ":" + v.get("label").asText());
        }
        return labels;
    }

    /** The app (re)reads its .env; a value it has not run before gets the next number. */
    private static synchronized void load() throws java.io.IOException {
        String value = Files.readAllLines(envFile).stream().filter(l -> l.startsWith("APP_KEY="))
                .map(l -> l.substring("APP_KEY=".length())).findFirst().orElseThrow();
        if (!loaded.contains(value)) {
            loaded.add(value);
        }
    }

    @AfterAll
    static void stopSystem() throws Exception {
        if (system != null) {
            system.close();
        }
        if (app != null) {
            app.stop(0);
        }
    }

    @Test
    void theAppRunsTheNewValueBeforeTheRotationIsCompleted() throws Exception {
        String id = api.rotate("app-key", "MANUAL", "reload through the hook");
        JsonNode rotation = api.awaitTerminal(id, Duration.ofSeconds(90));

        assertThat(rotation.get("state").asText()).as(rotation.toString()).isEqualTo("COMPLETED");
        assertThat(rotation.get("toVersion").asInt()).isEqualTo(2);
        String written = Files.readAllLines(envFile).stream().filter(l -> l.startsWith("APP_KEY="))
                .map(l -> l.substring("APP_KEY=".length())).findFirst().orElseThrow();
        assertThat(written).isNotEqualTo(INITIAL);
        assertThat(loaded).containsExactly(INITIAL, written);
        assertThat(hookBodies).containsExactly("{\"rotationId\":\"" + id
                + "\",\"secretId\":\"app-key\",\"direction\":\"FORWARD\",\"version\":2}");
        JsonNode reload = null;
        for (JsonNode step : rotation.get("steps")) {
            if (step.get("step").asText().equals("RELOAD_CONSUMERS")) {
                reload = step;
            }
        }
        assertThat(reload).isNotNull();
        assertThat(reload.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(reload.get("detail").asText()).endsWith("reports version 2");

        // The grace (1 s) is over, but 40 % of the app's requests still use version 1: the retirement waits.
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> kinds(id).contains("retirement-deferred"));
        assertThat(labels()).containsExactly("1:previous", "2:current");
        assertThat(usageProbes).isNotEmpty().allMatch(p -> p.equals("/usage/1"));
        JsonNode deferred = entry(id, "retirement-deferred");
        assertThat(deferred.get("detail").get("version").asInt()).isEqualTo(1);
        assertThat(deferred.get("detail").get("share").asText()).isEqualTo("0.4");
        // Once the share has stayed at or below 5 % for 3 s, version 1 is retired in the store.
        previousShare = 0.01;
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> labels().equals(List.of("1:retired",
                "2:current")));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> kinds(id).contains("previous-retired"));
        assertThat(kinds(id)).doesNotContain("retirement-overdue", "retirement-forced");

        String logs = system.allLogs();
        for (String value : List.of(INITIAL, written)) {
            assertThat(logs).doesNotContain(value);
            assertThat(rotation.toString()).doesNotContain(value);
            assertThat(hookBodies).noneMatch(b -> b.contains(value));
        }
    }
}

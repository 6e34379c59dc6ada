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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dual-key rotation whose entry has {@code reload:}, across the four services as processes: real secret-sync
 * rewrites the app's .env, the orchestrator calls the app's reload hook, and the app, which reads its .env on the hook
 * and reports at /health/keys the version of the key it runs (the values it has run, numbered in order, as a key id
 * would), runs the new value before the rotation is COMPLETED.
 */
class ReloadSystemTest {
    private static final String INITIAL = "initial-reload-app-secret-0123456789abcdef";

    @TempDir
    static Path home;
    static Path envFile;
    static HttpServer app;
    static final List<String> loaded = new CopyOnWriteArrayList<>();
    static final List<String> hookBodies = new CopyOnWriteArrayList<>();
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
                    grace: 1h
                    reload:
                      - { type: http, url: "%s/reload", timeout: 20s,
                          health: { url: "%s/health/keys", version-field: keyVersion } }
                """.formatted(envFile, base, base);
        Path catalogFile = Files.writeString(home.resolve("catalog.yaml"), catalog);
        system = new RotorSystem(home, catalogFile, Map.of());
        api = new Api(system);
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
        String logs = system.allLogs();
        for (String value : List.of(INITIAL, written)) {
            assertThat(logs).doesNotContain(value);
            assertThat(rotation.toString()).doesNotContain(value);
            assertThat(hookBodies).noneMatch(b -> b.contains(value));
        }
    }
}

package dev.rotor.systemtests;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
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
 * Rolling cohort rollouts across the four services as processes: three .env targets in two waves (33 %: the first
 * target; 100 %: the other two), each wave reloaded through its own hook, then held by a gate read from a WireMock of
 * Prometheus's query API, whose answer depends on the wave ({@code {wave}} in the query). One entry's gate passes both
 * waves and the rotation completes; the other's passes the first wave and fails the second, so both waves are rolled
 * back: every target holds exactly what it held before, and the consumers reload the old version. A third is killed
 * with the orchestrator during its first wave's gate, its entry removed from the catalog meanwhile: the restarted
 * orchestrator resumes its frozen waves and completes it.
 */
class RolloutSystemTest {
    private static final String INITIAL = "initial-cohort-secret-0123456789abcdef";

    @TempDir
    static Path home;
    static WireMockServer prometheus;
    static HttpServer hooks;
    static final List<String> reloads = new CopyOnWriteArrayList<>();
    static final Map<String, String> entries = new java.util.LinkedHashMap<>();
    static Path catalogFile;
    static RotorSystem system;
    static Api api;

    @BeforeAll
    static void startSystem() throws Exception {
        prometheus = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        prometheus.start();
        answer("pass-1", "0.01");
        answer("pass-2", "0.015");
        answer("fail-1", "0");
        answer("fail-2", "0.4");
        answer("restart-1", "0");
        answer("restart-2", "0");
        hooks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hooks.createContext("/reload/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            reloads.add(exchange.getRequestURI().getPath() + " " + body.replaceAll(".*\"direction\":\"(\\w+)\","
                    + "\"version\":(\\d+).*", "$1 $2"));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        hooks.start();
        String base = "http://127.0.0.1:" + hooks.getAddress().getPort();
        for (String id : List.of("pass", "fail", "restart")) {
            for (String t : List.of("a", "b", "c")) {
                Files.writeString(home.resolve(id + "-" + t + ".env"), original());
            }
            entries.put(id, """
                      - id: cohort-%1$s
                        kind: signing-key
                        strategy: dual-key
                        generator: { type: base64, bytes: 32 }
                        store: { type: local, path: cohort/%1$s }
                        targets:
                          - { type: env-file, path: "%2$s/%1$s-a.env", variable: APP_KEY, previous-variable: APP_KEY_PREVIOUS }
                          - { type: env-file, path: "%2$s/%1$s-b.env", variable: APP_KEY, previous-variable: APP_KEY_PREVIOUS }
                          - { type: env-file, path: "%2$s/%1$s-c.env", variable: APP_KEY, previous-variable: APP_KEY_PREVIOUS }
                        grace: 1h
                        reload:
                          - { type: http, url: "%3$s/reload/%1$s-a", wave: 1 }
                          - { type: http, url: "%3$s/reload/%1$s-bc", wave: 2 }
                        rollout:
                          waves: [ 33%%, 100%% ]
                          gate: { source: prometheus, query: 'errors:ratio{cohort="%1$s-{wave}"}', max: 2%%, for: %4$s, timeout: 60s }
                    """.formatted(id, home, base, id.equals("fail") ? "1s" : id.equals("pass") ? "3s" : "4s"));
        }
        catalogFile = Files.writeString(home.resolve("catalog.yaml"), "secrets:\n" + String.join("", entries.values()));
        system = new RotorSystem(home, catalogFile, Map.of(
                "ROTOR_ORCHESTRATOR_RETIRE_GATE_PROMETHEUS_URL", prometheus.baseUrl(),
                "ROTOR_ORCHESTRATOR_ROLLOUT_GATE_CHECK_INTERVAL", "200ms"));
        api = new Api(system);
    }

    /** Prometheus's answer to the instant query of one cohort: a vector of one sample. */
    private static void answer(String cohort, String value) {
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query")).withQueryParam("query",
                containing("cohort=\"" + cohort + "\"")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},"
                        + "\"value\":[1767225600.0,\"" + value + "\"]}]}}")));
    }

    private static String original() {
        return "# cohort app\nAPP_NAME=demo\nAPP_KEY=" + INITIAL + "\nAPP_KEY_PREVIOUS=\n";
    }

    private static String env(String name) throws Exception {
        return Files.readString(home.resolve(name + ".env"));
    }

    private static JsonNode step(JsonNode rotation, String step, String direction) {
        for (JsonNode s : rotation.get("steps")) {
            if (s.get("step").asText().equals(step) && s.get("direction").asText().equals(direction)) {
                return s;
            }
        }
        return null;
    }

    /** Polls until the first wave's gate runs, and returns the rotation then. */
    private static JsonNode awaitFirstGate(String id) throws Exception {
        JsonNode during = api.rotation(id);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            during = api.rotation(id);
            JsonNode gate = step(during, "WAVE_GATE", "FORWARD");
            if (gate != null && gate.get("status").asText().equals("RUNNING")) {
                return during;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the first gate did not start: " + during);
    }

    @AfterAll
    static void stopSystem() throws Exception {
        if (system != null) {
            system.close();
        }
        if (hooks != null) {
            hooks.stop(0);
        }
        if (prometheus != null) {
            prometheus.stop();
        }
    }

    @Test
    void twoWavesEachHeldByTheGateThenCompleted() throws Exception {
        String id = api.rotate("cohort-pass", "MANUAL", "cohort rollout");
        // While the first wave's gate holds (for 3s) the rotation shows wave 1: only the first target has the value.
        JsonNode during = awaitFirstGate(id);
        assertThat(during.get("rollout").get("wave").asInt()).as(during.toString()).isEqualTo(1);
        assertThat(during.get("rollout").get("reached").asInt()).isEqualTo(1);
        assertThat(env("pass-a")).isNotEqualTo(original());
        assertThat(env("pass-b")).isEqualTo(original());
        assertThat(env("pass-c")).isEqualTo(original());

        JsonNode rotation = api.awaitTerminal(id, Duration.ofSeconds(90));
        assertThat(rotation.get("state").asText()).as(rotation.toString()).isEqualTo("COMPLETED");
        assertThat(rotation.get("rollout").get("wave").asInt()).isEqualTo(2);
        assertThat(rotation.get("rollout").get("reached").asInt()).isEqualTo(3);
        assertThat(rotation.get("rollout").get("waves")).hasToString("[\"33%\",\"100%\"]");
        String value = EnvFile.read(home.resolve("pass-a.env")).get("APP_KEY");
        assertThat(value).isNotEqualTo(INITIAL);
        String rolledOut = "# cohort app\nAPP_NAME=demo\nAPP_KEY=" + value + "\nAPP_KEY_PREVIOUS=" + INITIAL + "\n";
        for (String t : List.of("a", "b", "c")) {
            assertThat(env("pass-" + t)).isEqualTo(rolledOut);
        }
        assertThat(reloads.stream().filter(r -> r.startsWith("/reload/pass"))).containsExactly(
                "/reload/pass-a FORWARD 2", "/reload/pass-bc FORWARD 2");
        JsonNode gate = step(rotation, "WAVE_GATE", "FORWARD");
        assertThat(gate.get("attempts").asInt()).isEqualTo(2);
        assertThat(gate.get("detail").asText()).isEqualTo("wave 2 of 2: gate prometheus errors:ratio{cohort=\""
                + "pass-2\"} held at or below 2% for 3s (last: prometheus " + prometheus.baseUrl() + " answered 0.015)");
        assertThat(system.allLogs()).doesNotContain(value).doesNotContain(INITIAL);
    }

    @Test
    void aGateFailingOnTheSecondWaveRollsBothWavesBack() throws Exception {
        String id = api.rotate("cohort-fail", "MANUAL", "cohort rollout, second cohort errs");
        JsonNode rotation = api.awaitTerminal(id, Duration.ofSeconds(90));

        assertThat(rotation.get("state").asText()).as(rotation.toString()).isEqualTo("ROLLED_BACK");
        assertThat(rotation.get("error").asText()).isEqualTo("wave 2 of 2: gate prometheus errors:ratio{cohort=\""
                + "fail-2\"} failed: prometheus " + prometheus.baseUrl() + " answered 0.4, above max 2%");
        assertThat(rotation.get("rollout").get("gate").asText())
                .isEqualTo("prometheus errors:ratio{cohort=\"fail-{wave}\"}");
        assertThat(rotation.get("rollout").get("wave").asInt()).isEqualTo(2);
        // The first wave's target, which held the new value through its gate, and the second wave's: as before.
        for (String t : List.of("a", "b", "c")) {
            assertThat(env("fail-" + t)).as(t).isEqualTo(original());
        }
        assertThat(step(rotation, "UPDATE_SECRET", "COMPENSATE").get("status").asText()).isEqualTo("COMPENSATED");
        assertThat(step(rotation, "RELOAD_CONSUMERS", "COMPENSATE").get("status").asText())
                .isEqualTo("COMPENSATED");
        // Each wave reloaded its consumers on version 2; the rollback reloads both waves' on the restored version 1.
        assertThat(reloads.stream().filter(r -> r.startsWith("/reload/fail"))).containsExactly(
                "/reload/fail-a FORWARD 2", "/reload/fail-bc FORWARD 2",
                "/reload/fail-a COMPENSATE 1", "/reload/fail-bc COMPENSATE 1");
        String current = null;
        for (JsonNode v : api.versions("cohort/fail")) {
            assertThat(v.has("value")).isFalse();
            if (v.get("label").asText().equals("current")) {
                current = v.get("version").asText();
            }
        }
        assertThat(current).as("the adopted version is current again").isEqualTo("1");
        assertThat(system.allLogs()).doesNotContain(INITIAL);
        assertThat(rotation.toString()).doesNotContain(INITIAL);
    }

    @Test
    void aRestartDuringAGateResumesTheFrozenWaves() throws Exception {
        String id = api.rotate("cohort-restart", "MANUAL", "cohort rollout across a restart");
        JsonNode during = awaitFirstGate(id);
        assertThat(during.get("rollout").get("wave").asInt()).isEqualTo(1);
        // The entry leaves the catalog, and the orchestrator dies in the gate's wait (for 4s) and starts again.
        entries.remove("restart");
        Files.writeString(catalogFile, "secrets:\n" + String.join("", entries.values()));
        system.service("orchestrator").kill9();
        assertThat(env("restart-b")).isEqualTo(original());
        system.service("orchestrator").start();
        system.service("orchestrator").awaitReady(Duration.ofSeconds(120));

        JsonNode rotation = api.awaitTerminal(id, Duration.ofSeconds(120));
        assertThat(rotation.get("state").asText()).as(rotation.toString()).isEqualTo("COMPLETED");
        assertThat(rotation.get("rollout").get("wave").asInt()).isEqualTo(2);
        String value = EnvFile.read(home.resolve("restart-a.env")).get("APP_KEY");
        assertThat(value).isNotEqualTo(INITIAL);
        String rolledOut = "# cohort app\nAPP_NAME=demo\nAPP_KEY=" + value + "\nAPP_KEY_PREVIOUS=" + INITIAL + "\n";
        for (String t : List.of("a", "b", "c")) {
            assertThat(env("restart-" + t)).isEqualTo(rolledOut);
        }
        // The interrupted gate ran again as the same attempt; each wave reloaded its own consumers once.
        assertThat(step(rotation, "WAVE_GATE", "FORWARD").get("attempts").asInt()).isEqualTo(2);
        assertThat(reloads.stream().filter(r -> r.startsWith("/reload/restart"))).containsExactly(
                "/reload/restart-a FORWARD 2", "/reload/restart-bc FORWARD 2");
    }
}

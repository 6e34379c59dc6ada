package dev.rotor.orchestrator.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The outside party of RetireGateFlowTest: a WireMock of Prometheus's query API ({@code /api/v1/query}) and of an app
 * endpoint reporting its share of use, whose answers the test changes over time; and a catalog whose entries gate
 * their retirement on use, with durations of seconds. The gate probes every second.
 */
public class PrometheusResource implements QuarkusTestResourceLifecycleManager {
    static volatile WireMockServer wiremock;

    @Override
    public Map<String, String> start() {
        wiremock = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        wiremock.start();
        String base = "http://127.0.0.1:" + wiremock.port();
        try {
            Path catalog = Files.writeString(Path.of("target/retire-catalog.yaml"), catalog(base));
            return Map.of("rotor.orchestrator.catalog", catalog.toAbsolutePath().toString(),
                    "rotor.orchestrator.retire-gate.prometheus-url", base,
                    "rotor.orchestrator.retire-gate.check-interval", "1s",
                    "rotor.orchestrator.retire-gate.probe-timeout", "2s");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String base() {
        return "http://127.0.0.1:" + wiremock.port();
    }

    /** Prometheus answers {@code query} with a scalar. */
    static void scalar(String query, String value) {
        wiremock.stubFor(get(urlPathEqualTo("/api/v1/query")).withQueryParam("query", equalTo(query))
                .willReturn(okJson("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":"
                        + "[1767225600.0,\"" + value + "\"]}}")));
    }

    /** Prometheus answers {@code query} with a vector of one sample. */
    static void vector(String query, String value) {
        wiremock.stubFor(get(urlPathEqualTo("/api/v1/query")).withQueryParam("query", equalTo(query))
                .willReturn(okJson("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
                        + "[{\"metric\":{},\"value\":[1767225600.0,\"" + value + "\"]}]}}")));
    }

    /** Prometheus is down for {@code query}. */
    static void unavailable(String query) {
        wiremock.stubFor(get(urlPathEqualTo("/api/v1/query")).withQueryParam("query", equalTo(query))
                .willReturn(aResponse().withStatus(503)));
    }

    /** The app's endpoint reports {@code body}. */
    static void app(String path, String body) {
        wiremock.stubFor(get(urlPathEqualTo(path)).willReturn(okJson(body)));
    }

    private static String catalog(String base) {
        String entry = """
                  - id: %s
                    kind: signing-key
                    strategy: dual-key
                    generator: { type: base64, bytes: 32 }
                    store: { type: local, path: test/%s }
                    targets:
                      - { type: env-file, path: /tmp/rotor-test/%s.env, variable: APP_KEY }
                    grace: 1s
                    retire-when: %s
                """;
        return "secrets:\n"
                + entry.formatted("rg-defer", "rg-defer", "rg-defer", "{ source: prometheus, query: 'share{version=\"{version}\"}',"
                        + " max-share: 5%, for: 3s, max-grace: 1h }")
                + entry.formatted("rg-alert", "rg-alert", "rg-alert", "{ source: prometheus, query: 'alert_share',"
                        + " max-share: 5%, for: 3s, alert-above: 10%, alert-after: 2s, max-grace: 7s }")
                + entry.formatted("rg-force", "rg-force", "rg-force", "{ source: http, url: \"" + base
                        + "/share/rg-force/{version}\", max-share: 5%, max-grace: 1h }")
                + entry.formatted("rg-newer", "rg-newer", "rg-newer", "{ source: prometheus, query: 'newer_share',"
                        + " max-share: 5%, for: 3s, max-grace: 1h }");
    }

    @Override
    public void stop() {
        if (wiremock != null) {
            wiremock.stop();
        }
    }
}

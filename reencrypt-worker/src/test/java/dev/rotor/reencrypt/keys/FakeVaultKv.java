package dev.rotor.reencrypt.keys;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.jsonResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.notMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.util.List;
import java.util.Map;

/**
 * A WireMock fake of the KV v2 read and AppRole login endpoints, in the documented response shapes: versions put
 * here are served at {@code GET /v1/<mount>/data/<path>?version=N} to {@link #TOKEN} or {@link #LOGIN_TOKEN}; a
 * deleted or never-written version answers 404 as Vault does; any other token gets 403.
 */
public final class FakeVaultKv implements AutoCloseable {
    public static final String TOKEN = "worker-token-7f3a";
    public static final String LOGIN_TOKEN = "login-token-c91e";
    public static final String ROLE_ID = "reencrypt-role";
    public static final String SECRET_ID = "approle-secret-id-5d2b";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final WireMockServer server;

    public FakeVaultKv() {
        server = new WireMockServer(options().dynamicPort());
        server.start();
        server.stubFor(any(anyUrl()).atPriority(10).willReturn(jsonResponse("{\"errors\":[]}", 404)));
        server.stubFor(any(anyUrl()).atPriority(2).withHeader("X-Vault-Token", notMatching(TOKEN + "|" + LOGIN_TOKEN))
                .willReturn(jsonResponse("{\"errors\":[\"permission denied\"]}", 403)));
        // Equal priorities: the newest stub is tried first, so the refusal goes in before the accepted login.
        server.stubFor(post(urlPathEqualTo("/v1/auth/approle/login")).atPriority(1)
                .willReturn(jsonResponse("{\"errors\":[\"invalid role or secret ID\"]}", 400)));
        server.stubFor(post(urlPathEqualTo("/v1/auth/approle/login")).atPriority(1)
                .withHeader("X-Vault-Token", absent())
                .withRequestBody(equalToJson("{\"role_id\":\"" + ROLE_ID + "\",\"secret_id\":\"" + SECRET_ID + "\"}"))
                .willReturn(okJson("{\"request_id\":\"r1\",\"lease_id\":\"\",\"renewable\":false,"
                        + "\"lease_duration\":0,\"data\":null,\"auth\":{\"client_token\":\"" + LOGIN_TOKEN + "\","
                        + "\"accessor\":\"a1\",\"policies\":[\"default\",\"rotor-reencrypt\"],"
                        + "\"lease_duration\":3600,\"renewable\":true}}")));
    }

    public String address() {
        return "http://127.0.0.1:" + server.port();
    }

    /** Version {@code version} of {@code <mount>/<path>} holds {@code fields}. */
    public FakeVaultKv put(String mount, String path, int version, Map<String, String> fields) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode data = body.putObject("data");
        data.set("data", JSON.valueToTree(fields));
        data.putObject("metadata").put("version", version).put("created_time", "2026-12-01T00:00:00Z")
                .put("deletion_time", "").put("destroyed", false);
        server.stubFor(get(urlPathEqualTo("/v1/" + mount + "/data/" + path)).atPriority(1)
                .withQueryParam("version", equalTo(String.valueOf(version)))
                .withHeader("X-Vault-Token", equalTo(TOKEN).or(equalTo(LOGIN_TOKEN)))
                .willReturn(okJson(body.toString())));
        return this;
    }

    /** Version {@code version} was soft-deleted or destroyed: Vault answers 404 with its metadata. */
    public FakeVaultKv deleted(String mount, String path, int version) {
        server.stubFor(get(urlPathEqualTo("/v1/" + mount + "/data/" + path)).atPriority(1)
                .withQueryParam("version", equalTo(String.valueOf(version)))
                .willReturn(jsonResponse("{\"data\":{\"data\":null,\"metadata\":{\"version\":" + version
                        + ",\"deletion_time\":\"2026-12-01T00:00:00Z\",\"destroyed\":true}}}", 404)));
        return this;
    }

    /** Every request to paths starting with {@code prefix} answers {@code status}. */
    public void fail(String prefix, int status) {
        server.stubFor(any(com.github.tomakehurst.wiremock.client.WireMock.urlMatching(prefix + ".*")).atPriority(0)
                .willReturn(jsonResponse("{\"errors\":[\"local node not active\"]}", status)));
    }

    /** {@code METHOD url} of every request so far, oldest first. */
    public List<String> requests() {
        var events = new java.util.ArrayList<>(server.getAllServeEvents());
        java.util.Collections.reverse(events);
        return events.stream().map(e -> e.getRequest().getMethod() + " " + e.getRequest().getUrl()).toList();
    }

    public void reset() {
        server.resetRequests();
    }

    @Override
    public void close() {
        server.stop();
    }
}

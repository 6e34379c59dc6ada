package dev.rotor.systemtests;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stateful WireMock fake of the documented Vault KV v2 endpoints ({@code data} GET/POST with {@code options.cas},
 * {@code metadata} GET/POST with {@code custom_metadata}, {@code destroy}, {@code delete}, {@code undelete}), token
 * auth only. Adapted, and cut down, from secret-sync's test fake ({@code dev.rotor.sync.vault.FakeVault}): that one
 * lives in secret-sync's test sources, which this module cannot depend on, so the KV part is duplicated here.
 *
 * <p>It runs in the test JVM; secret-sync, a separate process, reaches it over HTTP. Every request is recorded.
 */
final class FakeVaultKv implements AutoCloseable {
    static final String TOKEN = "system-test-root-token";
    /** A read-only policy's token: {@code GET <mount>/data/...} only, everything else 403 (reencrypt-worker's). */
    static final String READER_TOKEN = "system-test-reader-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern KV =
            Pattern.compile("/v1/([^/]+)/(data|metadata|destroy|delete|undelete)/([^?]+)(\\?version=(\\d+))?");

    /** One KV secret: its versions (index = number - 1), their state, and custom_metadata. */
    static final class Secret {
        final List<Map<String, String>> data = new ArrayList<>();
        final List<String> state = new ArrayList<>(); // "", "deleted", "destroyed"
        Map<String, String> custom = new LinkedHashMap<>();

        /** The newest version's fields. */
        Map<String, String> newest() {
            return data.get(data.size() - 1);
        }
    }

    /** One recorded request: method, URL, for data writes the cas sent (null when none), and whether the reader sent it. */
    record Req(String method, String url, Integer cas, JsonNode body, boolean reader) {
        boolean isDataWrite() {
            return method.equals("POST") && url.contains("/data/");
        }

        @Override
        public String toString() {
            return method + " " + url + (isDataWrite() ? " cas=" + cas : "");
        }
    }

    private final Map<String, Secret> secrets = new TreeMap<>();
    private final List<Req> requests = new ArrayList<>();
    /** Per secret: the status every data write gets until cleared, and the status of the next one only. */
    private final Map<String, Integer> failingWrites = new java.util.HashMap<>();
    private final Map<String, Integer> failNextWrite = new java.util.HashMap<>();
    private final WireMockServer server;

    FakeVaultKv() {
        server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").extensions(new Handler()));
        server.start();
        server.stubFor(any(anyUrl()).willReturn(new ResponseDefinitionBuilder().withTransformers("fake-kv")));
    }

    String address() {
        return "http://127.0.0.1:" + server.port();
    }

    /** Seeds a version of {@code mount/path}, as an app team would have written it. */
    synchronized void put(String mountAndPath, Map<String, String> fields) {
        Secret s = secrets.computeIfAbsent(mountAndPath, k -> new Secret());
        s.data.add(new LinkedHashMap<>(fields));
        s.state.add("");
    }

    /**
     * Data writes to {@code mountAndPath} get {@code status} (for example 503, which secret-sync retries) from now on,
     * until {@code null} clears it; {@code thenOnce}, if not null, is the status of the first write after that.
     */
    synchronized void failWrites(String mountAndPath, Integer status, Integer thenOnce) {
        if (status == null) {
            failingWrites.remove(mountAndPath);
        } else {
            failingWrites.put(mountAndPath, status);
        }
        if (thenOnce == null) {
            failNextWrite.remove(mountAndPath);
        } else {
            failNextWrite.put(mountAndPath, thenOnce);
        }
    }

    /** A copy of one secret's state, or null when Vault has never seen it. */
    synchronized Secret secret(String mountAndPath) {
        Secret s = secrets.get(mountAndPath);
        if (s == null) {
            return null;
        }
        Secret copy = new Secret();
        s.data.forEach(d -> copy.data.add(new LinkedHashMap<>(d)));
        copy.state.addAll(s.state);
        copy.custom = new LinkedHashMap<>(s.custom);
        return copy;
    }

    /** Every request so far, oldest first. */
    synchronized List<Req> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.stop();
    }

    private final class Handler implements ResponseDefinitionTransformerV2 {
        @Override
        public String getName() {
            return "fake-kv";
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            synchronized (FakeVaultKv.this) {
                try {
                    return handle(event.getRequest());
                } catch (Exception e) {
                    return json(500, "{\"errors\":[\"fake: " + e + "\"]}");
                }
            }
        }

        private ResponseDefinition handle(Request r) throws Exception {
            JsonNode body = r.getBodyAsString().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.getBodyAsString());
            boolean get = r.getMethod().getName().equals("GET");
            JsonNode cas = body.path("options").path("cas");
            String token = r.getHeader("X-Vault-Token");
            boolean reader = READER_TOKEN.equals(token);
            requests.add(new Req(r.getMethod().getName(), r.getUrl(), cas.isMissingNode() ? null : cas.asInt(), body,
                    reader));
            if (!TOKEN.equals(token) && !(reader && get && r.getUrl().matches("/v1/[^/]+/data/.*"))) {
                return json(403, "{\"errors\":[\"permission denied\"]}");
            }
            Matcher m = KV.matcher(r.getUrl());
            if (!m.matches()) {
                return json(404, "{\"errors\":[]}");
            }
            String path = m.group(1) + "/" + m.group(3);
            Secret s = secrets.get(path);
            switch (m.group(2)) {
                case "data" -> {
                    if (get) {
                        if (s == null || s.data.isEmpty()) {
                            return json(404, "{\"errors\":[]}");
                        }
                        int v = m.group(5) == null ? s.data.size() : Integer.parseInt(m.group(5));
                        if (v < 1 || v > s.data.size() || !s.state.get(v - 1).isEmpty()) {
                            return json(404, "{\"data\":{\"data\":null,\"metadata\":{\"version\":" + v + "}}}");
                        }
                        ObjectNode out = JSON.createObjectNode();
                        ObjectNode data = out.putObject("data");
                        data.set("data", JSON.valueToTree(s.data.get(v - 1)));
                        data.putObject("metadata").put("version", v);
                        return json(200, out.toString());
                    }
                    Integer fault = failingWrites.containsKey(path) ? failingWrites.get(path)
                            : failNextWrite.remove(path);
                    if (fault != null) {
                        return json(fault, "{\"errors\":[\"fake: write refused with " + fault + "\"]}");
                    }
                    int current = s == null ? 0 : s.data.size();
                    if (!cas.isMissingNode() && cas.asInt() != current) {
                        return json(400, "{\"errors\":[\"check-and-set parameter did not match the current version\"]}");
                    }
                    Secret target = secrets.computeIfAbsent(path, k -> new Secret());
                    Map<String, String> fields = new LinkedHashMap<>();
                    body.path("data").properties().forEach(e -> fields.put(e.getKey(), e.getValue().asText()));
                    target.data.add(fields);
                    target.state.add("");
                    return json(200, "{\"data\":{\"version\":" + target.data.size() + ",\"destroyed\":false}}");
                }
                case "metadata" -> {
                    if (get) {
                        if (s == null) {
                            return json(404, "{\"errors\":[]}");
                        }
                        ObjectNode data = JSON.createObjectNode();
                        data.put("current_version", s.data.size());
                        data.set("custom_metadata", JSON.valueToTree(s.custom));
                        ObjectNode versions = data.putObject("versions");
                        for (int i = 0; i < s.data.size(); i++) {
                            versions.putObject(String.valueOf(i + 1))
                                    .put("deletion_time", s.state.get(i).isEmpty() ? "" : "2024-01-01T00:00:00Z")
                                    .put("destroyed", s.state.get(i).equals("destroyed"));
                        }
                        ObjectNode out = JSON.createObjectNode();
                        out.set("data", data);
                        return json(200, out.toString());
                    }
                    Map<String, String> custom = new LinkedHashMap<>();
                    body.path("custom_metadata").properties()
                            .forEach(e -> custom.put(e.getKey(), e.getValue().asText()));
                    secrets.computeIfAbsent(path, k -> new Secret()).custom = custom;
                    return json(204, null);
                }
                default -> {
                    if (s == null) {
                        return json(404, "{\"errors\":[]}");
                    }
                    for (JsonNode v : body.path("versions")) {
                        int i = v.asInt() - 1;
                        if (i >= 0 && i < s.state.size() && !s.state.get(i).equals("destroyed")) {
                            s.state.set(i, switch (m.group(2)) {
                                case "destroy" -> "destroyed";
                                case "delete" -> "deleted";
                                default -> "";
                            });
                        }
                    }
                    return json(204, null);
                }
            }
        }

        private ResponseDefinition json(int status, String body) {
            ResponseDefinitionBuilder b = new ResponseDefinitionBuilder().withStatus(status)
                    .withHeader("Content-Type", "application/json");
            return (body == null ? b : b.withBody(body)).build();
        }
    }
}

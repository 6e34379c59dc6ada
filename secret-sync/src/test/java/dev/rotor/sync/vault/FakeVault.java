package dev.rotor.sync.vault;

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
 * A WireMock fake of the documented KV v2 and login endpoints, with state: versions with cas, soft delete, destroy,
 * custom_metadata; AppRole and Kubernetes logins issue {@link #LOGIN_TOKEN}. Every request is recorded by WireMock;
 * {@link #requests()} renders them in order as {@code METHOD path detail} for exact assertions.
 */
public final class FakeVault implements AutoCloseable {
    public static final String ROOT_TOKEN = "root-token";
    public static final String LOGIN_TOKEN = "login-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern KV = Pattern.compile("/v1/([^/]+)/(data|metadata|destroy|delete|undelete)/([^?]+)(\\?version=(\\d+))?");

    /** One secret: its versions (index = number - 1) and custom_metadata. */
    public static final class Secret {
        public final List<Map<String, String>> data = new ArrayList<>();
        public final List<String> state = new ArrayList<>(); // "", "deleted", "destroyed"
        public Map<String, String> custom = new LinkedHashMap<>();
    }

    public final Map<String, Secret> secrets = new TreeMap<>();
    /**
     * Answer this status for requests whose description ({@link #requests()}) starts with the key, e.g.
     * {@code "POST /v1/secret/data/"}, or {@code "POST /v1/secret/metadata/app/jwt labels"} for label writes only.
     */
    public final Map<String, Integer> failures = new LinkedHashMap<>();
    /** Runs before the next data write to the path: a concurrent writer. */
    public final Map<String, Runnable> beforeWrite = new LinkedHashMap<>();
    private final WireMockServer server;

    public FakeVault() {
        server = new WireMockServer(options().dynamicPort().extensions(new Handler()));
        server.start();
        server.stubFor(any(anyUrl()).willReturn(new ResponseDefinitionBuilder().withTransformers("fake-kv")));
    }

    public String address() {
        return "http://127.0.0.1:" + server.port();
    }

    public Secret secret(String mountAndPath) {
        return secrets.computeIfAbsent(mountAndPath, k -> new Secret());
    }

    public void put(String mountAndPath, Map<String, String> fields) {
        Secret s = secret(mountAndPath);
        s.data.add(new LinkedHashMap<>(fields));
        s.state.add("");
    }

    public void reset() {
        server.resetRequests();
    }

    /** The requests since the last {@link #reset()}, oldest first, but those of the replicas' lease (rotor-lock/). */
    public List<String> requests() {
        return allRequests().stream().filter(r -> !r.contains("/rotor-lock/")).toList();
    }

    /** The requests since the last {@link #reset()}, oldest first. */
    public List<String> allRequests() {
        List<ServeEvent> events = new ArrayList<>(server.getAllServeEvents());
        java.util.Collections.reverse(events);
        return events.stream().map(e -> describe(e.getRequest())).toList();
    }

    /** The X-Vault-Token header of every request since the last reset (login calls have none). */
    public List<String> tokens() {
        List<ServeEvent> events = new ArrayList<>(server.getAllServeEvents());
        java.util.Collections.reverse(events);
        return events.stream().map(e -> e.getRequest().getHeader("X-Vault-Token")).toList();
    }

    private static String describe(Request r) {
        String line = r.getMethod() + " " + r.getUrl();
        try {
            JsonNode body = r.getBodyAsString().isEmpty() ? null : JSON.readTree(r.getBodyAsString());
            if (body == null) {
                return line;
            }
            if (body.has("options")) {
                return line + " cas=" + body.path("options").path("cas").asText() + " fields="
                        + fieldNames(body.path("data"));
            }
            if (body.has("custom_metadata")) {
                JsonNode c = body.path("custom_metadata");
                return line + " labels pending=" + c.path("rotor.pending").asText("-") + " current="
                        + c.path("rotor.current").asText("-") + " previous=" + c.path("rotor.previous").asText("-")
                        + (c.has("rotor.writing") ? " writing=" + c.path("rotor.writing").asText() : "");
            }
            if (body.has("versions")) {
                return line + " versions=" + body.path("versions");
            }
            if (body.has("role_id")) {
                return line + " role_id=" + body.path("role_id").asText();
            }
            if (body.has("jwt")) {
                return line + " role=" + body.path("role").asText();
            }
            return line + " " + fieldNames(body);
        } catch (Exception e) {
            return line + " <unparsed>";
        }
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        java.util.Collections.sort(names);
        return names;
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
            try {
                return handle(event.getRequest());
            } catch (Exception e) {
                return json(500, "{\"errors\":[\"fake: " + e + "\"]}");
            }
        }

        private synchronized ResponseDefinition handle(Request r) throws Exception {
            String key = describe(r);
            for (var f : failures.entrySet()) {
                if (key.startsWith(f.getKey())) {
                    return json(f.getValue(), "{\"errors\":[\"" + (f.getValue() == 403 ? "permission denied"
                            : "local node not active but active cluster node not found") + "\"]}");
                }
            }
            if (r.getUrl().matches("/v1/auth/[^/]+/login")) {
                // The documented login response shape (auth/approle/login, auth/kubernetes/login).
                return json(200, "{\"request_id\":\"r1\",\"lease_id\":\"\",\"renewable\":false,"
                        + "\"lease_duration\":0,\"data\":null,\"wrap_info\":null,\"warnings\":null,"
                        + "\"auth\":{\"client_token\":\"" + LOGIN_TOKEN + "\",\"accessor\":\"a1\","
                        + "\"policies\":[\"default\",\"rotor\"],\"token_policies\":[\"default\",\"rotor\"],"
                        + "\"metadata\":{\"role_name\":\"rotor\"},\"lease_duration\":3600,\"renewable\":true,"
                        + "\"entity_id\":\"e1\",\"token_type\":\"service\",\"orphan\":true}}");
            }
            String token = r.getHeader("X-Vault-Token");
            if (!ROOT_TOKEN.equals(token) && !LOGIN_TOKEN.equals(token)) {
                return json(403, "{\"errors\":[\"permission denied\"]}");
            }
            Matcher m = KV.matcher(r.getUrl());
            if (!m.matches()) {
                return json(404, "{\"errors\":[]}");
            }
            String path = m.group(1) + "/" + m.group(3);
            Secret s = secrets.get(path);
            JsonNode body = r.getBodyAsString().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.getBodyAsString());
            boolean get = r.getMethod().getName().equals("GET");
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
                        out.putObject("data").set("data", JSON.valueToTree(s.data.get(v - 1)));
                        ((ObjectNode) out.get("data")).putObject("metadata").put("version", v);
                        return json(200, out.toString());
                    }
                    Runnable concurrent = beforeWrite.remove(path);
                    if (concurrent != null) {
                        concurrent.run();
                        s = secrets.get(path);
                    }
                    int current = s == null ? 0 : s.data.size();
                    if (body.path("options").has("cas") && body.path("options").path("cas").asInt() != current) {
                        return json(400, "{\"errors\":[\"check-and-set parameter did not match the current version\"]}");
                    }
                    Secret target = secret(path);
                    Map<String, String> fields = new LinkedHashMap<>();
                    body.path("data").fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue().asText()));
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
                    body.path("custom_metadata").fields().forEachRemaining(e -> custom.put(e.getKey(), e.getValue().asText()));
                    secret(path).custom = custom;
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

package dev.rotor.orchestrator.it;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.MockWebServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The outside parties of ReloadFlowTest: a small app (JDK HttpServer) that, when its reload hook is called, reads its
 * {@code .env} and reports at {@code /health/keys/<app>} the version of the key it now runs; and the fabric8 mock
 * Kubernetes API server in CRUD mode. The app knows versions by value only, as a real one knows its key id: the test
 * tells it which value is which version.
 */
public class ReloadAppResource implements QuarkusTestResourceLifecycleManager {
    static final Path DIR = Path.of("target/reload-apps");
    private static final Map<String, Integer> VERSIONS = new ConcurrentHashMap<>();
    private static final Map<String, Integer> RUNNING = new ConcurrentHashMap<>();
    private static final Set<String> STALE = ConcurrentHashMap.newKeySet();
    private static final List<String> HOOK_CALLS = new CopyOnWriteArrayList<>();
    private static volatile int port;
    private static volatile KubernetesMockServer kubernetes;
    private HttpServer server;

    static int port() {
        return port;
    }

    static Path envFile(String app) {
        return DIR.resolve(app + ".env").toAbsolutePath();
    }

    /** Writes the app's .env as secret-sync would, and says which version the value is. */
    static void writeEnv(String app, String value, int version) throws IOException {
        VERSIONS.put(value, version);
        Files.createDirectories(DIR);
        Files.writeString(envFile(app), "APP_NAME=demo\nAPP_KEY=" + value + "\n");
    }

    /** The app starts with whatever its .env holds. */
    static void boot(String app) throws IOException {
        RUNNING.put(app, load(app));
    }

    /** The version the app runs now; null before it booted. */
    static Integer running(String app) {
        return RUNNING.get(app);
    }

    /** A stale app answers its hook but keeps the key it has (a reload that does not take). */
    static void stale(String app, boolean stale) {
        if (stale) {
            STALE.add(app);
        } else {
            STALE.remove(app);
        }
    }

    /** The hook calls, as "app body". */
    static List<String> hookCalls(String app) {
        return HOOK_CALLS.stream().filter(c -> c.startsWith(app + " ")).map(c -> c.substring(app.length() + 1))
                .toList();
    }

    static KubernetesClient kubernetes() {
        return kubernetes.createClient();
    }

    private static int load(String app) throws IOException {
        String value = Files.readAllLines(envFile(app)).stream().filter(l -> l.startsWith("APP_KEY="))
                .map(l -> l.substring("APP_KEY=".length())).findFirst().orElseThrow();
        Integer version = VERSIONS.get(value);
        return version == null ? -1 : version;
    }

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/reload/", exchange -> {
                String app = exchange.getRequestURI().getPath().substring("/reload/".length());
                HOOK_CALLS.add(app + " " + new String(exchange.getRequestBody().readAllBytes(),
                        StandardCharsets.UTF_8));
                if (!STALE.contains(app)) {
                    RUNNING.put(app, load(app));
                }
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            server.createContext("/health/keys/", exchange -> {
                String app = exchange.getRequestURI().getPath().substring("/health/keys/".length());
                Integer version = RUNNING.get(app);
                byte[] body = ("{\"status\":\"UP\",\"keys\":{\"app\":{\"version\":" + version + "}}}")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(version == null ? 503 : 200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            port = server.getAddress().getPort();
            kubernetes = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(), new MockWebServer(), new HashMap<>(),
                    new KubernetesCrudDispatcher(), false);
            kubernetes.init();
            Path catalog = Files.writeString(Path.of("target/reload-catalog.yaml"), catalog());
            return Map.of("rotor.orchestrator.kubernetes.api-server-url", kubernetes.url("/"),
                    "rotor.orchestrator.catalog", catalog.toAbsolutePath().toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One entry per scenario: two apps with an http hook and a health check, and a Deployment. */
    private static String catalog() {
        String entry = """
                  - id: %s
                    kind: signing-key
                    strategy: dual-key
                    generator: { type: base64, bytes: 32 }
                    store: { type: local, path: test/%s }
                    targets:
                      - { type: env-file, path: %s, variable: APP_KEY }
                    grace: 1h
                """;
        String base = "http://127.0.0.1:" + port;
        StringBuilder yaml = new StringBuilder("secrets:\n");
        for (String app : List.of("rl-http", "rl-stale")) {
            yaml.append(entry.formatted(app, app, envFile(app))).append("""
                        reload:
                          - { type: http, url: "%s/reload/%s", timeout: 3s,
                              health: { url: "%s/health/keys/%s", version-field: /keys/app/version } }
                    """.formatted(base, app, base, app));
        }
        yaml.append(entry.formatted("rl-k8s", "rl-k8s", envFile("rl-k8s"))).append("""
                    reload:
                      - { type: kubernetes, namespace: shop, name: api, timeout: 2s }
                """);
        return yaml.toString();
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
        if (kubernetes != null) {
            kubernetes.destroy();
        }
    }
}

package dev.rotor.orchestrator.it;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A recording maintenance endpoint (JDK HttpServer) for the http drain, and the test catalog pointed at it: the
 * catalog's {@code @DRAIN_URL@} is replaced with this server's address. Each secret uses its own path
 * ({@code /drain/<secret>}), so tests sharing the server never see each other's calls. {@code @DRAIN_URL_WITH_USER@}
 * is the same address with {@link #DRAIN_USER_INFO} in it, for the redaction tests.
 */
public class DrainEndpointResource implements QuarkusTestResourceLifecycleManager {
    static final String DRAIN_PASSWORD = "pw-hunter2";
    static final String DRAIN_USER_INFO = "drain-user:" + DRAIN_PASSWORD;
    private static final List<Call> CALLS = new CopyOnWriteArrayList<>();
    private static final Map<String, Deque<Integer>> SCRIPTED = new ConcurrentHashMap<>();
    private static volatile int port;
    private HttpServer server;

    /** One recorded call; {@code enter} is true for {"maintenance": true}. */
    public record Call(String path, String method, boolean enter, String body) {
        String name() {
            return enter ? "enter" : "leave";
        }
    }

    /** The calls made to {@code /drain/<secretId>}, in order, as "enter"/"leave". */
    static List<String> calls(String secretId) {
        return CALLS.stream().filter(c -> c.path().equals("/drain/" + secretId)).map(Call::name).toList();
    }

    static List<Call> fullCalls(String secretId) {
        return CALLS.stream().filter(c -> c.path().equals("/drain/" + secretId)).toList();
    }

    /** Answers the next enter calls for the secret with these statuses; then 200. Leave calls always get 200. */
    static void answerEnter(String secretId, Integer... statuses) {
        SCRIPTED.put("/drain/" + secretId, new ArrayDeque<>(List.of(statuses)));
    }

    static int port() {
        return port;
    }

    private boolean ownCatalog;

    /** A test profile brings its own catalog (FreezeFlowTest): the drain server still runs, the catalog is its. */
    @Override
    public void setContext(Context context) {
        ownCatalog = context.testProfile() != null;
    }

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/drain/", exchange -> {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                String path = exchange.getRequestURI().getPath();
                boolean enter = body.replace(" ", "").contains("\"maintenance\":true");
                CALLS.add(new Call(path, exchange.getRequestMethod(), enter, body));
                Deque<Integer> script = SCRIPTED.get(path);
                Integer scripted = enter && script != null ? script.poll() : null;
                int status = scripted == null ? 200 : scripted;
                exchange.sendResponseHeaders(status, -1);
                exchange.close();
            });
            server.start();
            port = server.getAddress().getPort();
            String url = "http://127.0.0.1:" + port;
            String template = Files.readString(Path.of("src/test/resources/test-catalog.yaml"));
            Path catalog = Path.of("target/test-catalog-generated.yaml");
            String withCredentials = url.replace("http://", "http://" + DRAIN_USER_INFO + "@");
            Files.writeString(catalog, template.replace("@DRAIN_URL@", url)
                    .replace("@DRAIN_URL_WITH_USER@", withCredentials));
            return ownCatalog ? Map.of() : Map.of("rotor.orchestrator.catalog", catalog.toAbsolutePath().toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}

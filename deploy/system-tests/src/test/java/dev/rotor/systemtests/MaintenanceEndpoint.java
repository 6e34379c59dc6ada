package dev.rotor.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An app's maintenance-mode endpoint: records every call per rotation, and can be told to refuse leaving maintenance,
 * which makes the drain's compensation fail.
 */
final class MaintenanceEndpoint implements AutoCloseable {
    record Call(String rotationId, boolean maintenance, int answered) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final List<Call> calls = new CopyOnWriteArrayList<>();

    MaintenanceEndpoint() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            JsonNode body;
            try (InputStream in = exchange.getRequestBody()) {
                body = JSON.readTree(in.readAllBytes());
            }
            boolean entering = body.path("maintenance").asBoolean();
            int status = !entering && exchange.getRequestURI().getPath().endsWith("/refuse-leave") ? 500 : 200;
            calls.add(new Call(body.path("rotationId").asText(), entering, status));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    /** The URL for a drain; with {@code refuseLeave} every call to leave maintenance answers 500. */
    String url(boolean refuseLeave) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + (refuseLeave ? "/app/refuse-leave" : "/app");
    }

    List<Call> callsFor(String rotationId) {
        return calls.stream().filter(c -> c.rotationId().equals(rotationId)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

package dev.rotor.notifier.consume;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A real HTTP endpoint standing in for Slack or a webhook subscriber: records every request, answers as scripted. */
public final class Receiver implements AutoCloseable {

    /** One request as received, with the status it was answered. */
    public record Request(String path, String contentType, String body, int status) {
    }

    private final HttpServer server;
    private final List<Request> requests = new ArrayList<>();
    private final Map<String, Deque<Integer>> scripts = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> holds = new ConcurrentHashMap<>();

    public Receiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getPath();
            Deque<Integer> script = scripts.get(path);
            Integer scripted = script == null ? null : script.pollFirst();
            int status = scripted == null ? 200 : scripted;
            synchronized (requests) {
                requests.add(new Request(path, exchange.getRequestHeaders().getFirst("Content-Type"), body, status));
            }
            awaitRelease(path);
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** The next requests on {@code path} are answered with these statuses, then 200 again. */
    public void answer(String path, Integer... statuses) {
        scripts.put(path, new ArrayDeque<>(List.of(statuses)));
    }

    /** Requests on {@code path} are recorded but not answered until {@link #release}. */
    public void hold(String path) {
        holds.put(path, new CountDownLatch(1));
    }

    public void release(String path) {
        CountDownLatch gate = holds.remove(path);
        if (gate != null) {
            gate.countDown();
        }
    }

    private void awaitRelease(String path) {
        CountDownLatch gate = holds.get(path);
        try {
            if (gate != null && !gate.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("held request on " + path + " never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

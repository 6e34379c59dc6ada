package dev.rotor.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One rotation is one trace across the services as processes, each exporting its spans over OTLP (http/protobuf) to a
 * receiver in this test, as they would to a collector: the orchestrator's request span, its relay's publish spans,
 * secret-sync's handling of each command below them, the orchestrator's application of each reply below that, and
 * the notifier's receipt of the milestones.
 */
class TracingSystemTest {
    @TempDir
    static Path home;
    static HttpServer collector;
    static RotorSystem system;
    static Api api;
    static final List<Span> spans = new CopyOnWriteArrayList<>();
    static final List<String> paths = new CopyOnWriteArrayList<>();

    /** One exported span, as the test needs it. */
    record Span(String service, String traceId, String spanId, String parentId, String name) {
    }

    @BeforeAll
    static void startSystem() throws Exception {
        collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        collector.createContext("/", exchange -> {
            paths.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            try (InputStream raw = exchange.getRequestBody()) {
                InputStream body = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))
                        ? new GZIPInputStream(raw) : raw;
                record(ExportTraceServiceRequest.parseFrom(body));
            } catch (RuntimeException | Error e) {
                paths.add("unreadable: " + e);
            }
            byte[] ok = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, ok.length == 0 ? -1 : ok.length);
            exchange.getResponseBody().write(ok);
            exchange.close();
        });
        collector.start();
        Path env = home.resolve("app.env");
        Files.writeString(env, "TRACE_KEY=initial-trace-key-value-0123456789\n");
        String catalog = """
                secrets:
                  - id: trace-key
                    kind: signing-key
                    strategy: dual-key
                    generator: { type: base64, bytes: 32 }
                    store: { type: local, path: app/trace-key }
                    targets:
                      - { type: env-file, path: "%s", variable: TRACE_KEY }
                    grace: 1h
                    notify: [ ops-log ]
                notify:
                  channels:
                    ops-log: { type: log }
                """.formatted(env);
        Path catalogFile = Files.writeString(home.resolve("catalog.yaml"), catalog);
        system = new RotorSystem(home, catalogFile, Map.of(
                "QUARKUS_OTEL_SDK_DISABLED", "false",
                "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://127.0.0.1:" + collector.getAddress().getPort(),
                "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/protobuf",
                "QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "200ms"));
        api = new Api(system);
    }

    private static void record(ExportTraceServiceRequest request) {
        HexFormat hex = HexFormat.of();
        for (ResourceSpans rs : request.getResourceSpansList()) {
            String service = rs.getResource().getAttributesList().stream()
                    .filter(a -> a.getKey().equals("service.name")).map(KeyValue::getValue)
                    .map(v -> v.getStringValue()).findFirst().orElse("?");
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (io.opentelemetry.proto.trace.v1.Span s : ss.getSpansList()) {
                    spans.add(new Span(service, hex.formatHex(s.getTraceId().toByteArray()),
                            hex.formatHex(s.getSpanId().toByteArray()), s.getParentSpanId().isEmpty() ? null
                                    : hex.formatHex(s.getParentSpanId().toByteArray()), s.getName()));
                }
            }
        }
    }

    @AfterAll
    static void stopSystem() throws Exception {
        if (system != null) {
            system.close();
        }
        if (collector != null) {
            collector.stop(0);
        }
    }

    @Test
    void aRotationIsOneTraceFromTheRequestThroughSecretSyncAndBackToTheNotifier() throws Exception {
        String id = api.rotate("trace-key", "MANUAL", "traced across the services");
        JsonNode rotation = api.awaitTerminal(id, Duration.ofSeconds(90));
        assertThat(rotation.get("state").asText()).as(rotation.toString()).isEqualTo("COMPLETED");

        // The request: the orchestrator's server span, the root of the rotation's trace.
        Span request = await(s -> s.service().equals("rotor-orchestrator") && s.name().equals("POST /api/rotations"));
        assertThat(request.parentId()).isNull();
        String trace = request.traceId();

        for (String step : List.of("STAGE_SECRET", "UPDATE_SECRET")) {
            // secret-sync handled the command below its receive span, itself below the orchestrator's publish span.
            Span handled = await(s -> s.traceId().equals(trace) && s.name().equals("handle " + step + " FORWARD"));
            assertThat(handled.service()).isEqualTo("rotor-secret-sync");
            Span received = parent(handled);
            assertThat(received.service()).isEqualTo("rotor-secret-sync");
            Span published = parent(received);
            assertThat(published.service()).isEqualTo("rotor-orchestrator");
            assertThat(published.name()).isEqualTo("publish rotor.step-commands");
            // The orchestrator applied the reply below secret-sync's span: the trace goes back and on.
            Span applied = await(s -> s.traceId().equals(trace) && s.name().startsWith("apply ")
                    && ancestors(s).contains(handled.spanId()));
            assertThat(applied.service()).isEqualTo("rotor-orchestrator");
        }
        // The notifier received the milestones in the same trace, below the orchestrator's publish spans.
        Span noticed = await(s -> s.traceId().equals(trace) && s.service().equals("rotor-notifier"));
        assertThat(ancestors(noticed).stream().map(TracingSystemTest::byId).flatMap(Optional::stream)
                .anyMatch(s -> s.name().equals("publish rotor.rotations"))).as(describe(trace)).isTrue();
        assertThat(spans.stream().filter(s -> s.traceId().equals(trace)).map(Span::service).distinct())
                .contains("rotor-orchestrator", "rotor-secret-sync", "rotor-notifier");
        // reencrypt-worker reads the same command topic: it receives each command in the trace, and handles none
        // (a dual-key plan has no REENCRYPT).
        assertThat(spans.stream().filter(s -> s.traceId().equals(trace)
                && s.service().equals("rotor-reencrypt-worker"))).noneMatch(s -> s.name().startsWith("handle "));
    }

    private static Span await(java.util.function.Predicate<Span> match) {
        try {
            return Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> spans.stream().filter(match).findFirst(), Optional::isPresent).orElseThrow();
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            String logs;
            try {
                logs = system.allLogs().lines().filter(l -> l.toLowerCase(java.util.Locale.ROOT).contains("otel")
                        || l.toLowerCase(java.util.Locale.ROOT).contains("export")).limit(20)
                        .collect(Collectors.joining("\n"));
            } catch (java.io.IOException io) {
                logs = io.toString();
            }
            throw new AssertionError("no such span among: " + spans + "; collector calls " + paths + "; logs:\n"
                    + logs, e);
        }
    }

    private static Span parent(Span child) {
        return Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> byId(child.parentId()), Optional::isPresent).orElseThrow();
    }

    private static Optional<Span> byId(String spanId) {
        return spanId == null ? Optional.empty() : spans.stream().filter(s -> s.spanId().equals(spanId)).findFirst();
    }

    /** The span ids above {@code span}, nearest first, as far as they were exported. */
    private static List<String> ancestors(Span span) {
        List<String> up = new java.util.ArrayList<>();
        Optional<Span> at = Optional.of(span);
        while (at.isPresent() && at.get().parentId() != null && up.size() < 50) {
            up.add(at.get().parentId());
            at = byId(at.get().parentId());
        }
        return up;
    }

    private static String describe(String trace) {
        return spans.stream().filter(s -> s.traceId().equals(trace))
                .map(s -> s.service() + " " + s.name() + " " + s.spanId() + " < " + s.parentId())
                .collect(Collectors.joining("\n"));
    }
}

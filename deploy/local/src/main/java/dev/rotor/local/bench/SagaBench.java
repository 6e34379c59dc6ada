package dev.rotor.local.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotor.local.KafkaEnv;
import dev.rotor.local.auth.LocalAuth;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Starts N dual-key rotations at once against a running stack and waits for each one's {@code rotation-completed} on
 * {@code rotor.rotations}. Prints sagas/s, p50/p99 from request to completion, lost and duplicated completions, and
 * the orchestrator's heap, and with {@code --pid}, the CPU each process of the stack used during the measured round
 * and how long its threads waited for a CPU ({@link ProcessCpu}). Exits 0 only when every rotation completed exactly
 * once. With {@code --warmup M}, M rotations of other secrets run first, unmeasured, and only then the N measured ones
 * start, at once or, with {@code --rate R}, one every 1/R s.
 */
@Command(name = "bench-sagas", description = "Run N rotations at once and measure them (see bench-catalog).")
public final class SagaBench implements Callable<Integer> {
    private static final String COMPLETED = "dev.rotor.rotation-completed.v1";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--rotations", defaultValue = "500")
    int rotations;

    @Option(names = "--url", defaultValue = "http://127.0.0.1:8080")
    URI orchestrator;

    @Option(names = "--bootstrap", defaultValue = "127.0.0.1:9092", description = "The broker; security settings come "
            + "from KAFKA_* environment variables (KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_JAAS_CONFIG, ...).")
    String bootstrap;

    @Option(names = "--home", required = true, description = "ROTOR_HOME, whose local issuer signs the bench's token")
    Path home;

    private String bearer;

    @Option(names = "--orchestrator-pid", defaultValue = "0")
    long orchestratorPid;

    @Option(names = "--pid", description = "NAME=PID of a process of the stack (repeatable): its CPU and run-queue"
            + " wait during the measured round are printed")
    Map<String, Long> pids = new java.util.LinkedHashMap<>();

    @Option(names = "--postgres-cpu", description = "also count every process of this machine named postgres")
    boolean postgresCpu;

    @Option(names = "--rate", defaultValue = "0", description = "requests per second in the measured round, evenly"
            + " spaced; 0 (the default) sends all N at once")
    double rate;

    @Option(names = "--timeout", defaultValue = "600", description = "seconds to wait for all completions")
    long timeoutSeconds;

    @Option(names = "--warmup", defaultValue = "200", description = "rotations of other secrets (ids after the"
            + " measured ones) run and completed first, unmeasured, so the measured round meets warm JVMs")
    int warmup;

    @Override
    public Integer call() throws Exception {
        // HTTP/1.1: over h2c, N simultaneous requests on one connection hit the server's stream limit.
        bearer = "Bearer " + LocalAuth.open(home.resolve("auth"))
                .mint("bench", List.of("operator"), Duration.ofHours(2));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        try (HeapSampler heap = new HeapSampler(orchestratorPid)) {
            if (rate < 0 || Double.isNaN(rate) || Double.isInfinite(rate)) {
                System.err.println("--rate takes a number of requests per second, 0 for all at once");
                return 2;
            }
            if (warmup > 0) {
                Round warm = round(http, rotations + 1, warmup, 0);
                System.out.printf("warm-up (not measured): %d rotations accepted in %.1f s, %d completed, p99 %.2f s%n",
                        warmup, warm.acceptSeconds(), warm.result().distinct(), warm.result().p99());
            }
            heap.liveBefore();
            ProcessCpu cpu = new ProcessCpu(pids, postgresCpu);
            Map<String, ProcessCpu.Usage> cpuBefore = cpu.snapshot();
            long started = System.nanoTime();
            Round measured = round(http, 1, rotations, rate);
            double wall = (System.nanoTime() - started) / 1e9;
            Map<String, ProcessCpu.Usage> cpuAfter = cpu.snapshot();
            heap.liveAfter();
            System.out.printf("accepted %d rotations in %.1f s%s%n", measured.accepted(), measured.acceptSeconds(),
                    rate > 0 ? String.format(" (sent at %.1f/s)", rate) : " (sent at once)");
            System.out.println(measured.result().report(rotations));
            System.out.println(cpu.report(cpuBefore, cpuAfter, wall, rotations));
            System.out.println(heap.summary());
            return measured.result().clean(rotations) ? 0 : 1;
        }
    }

    private record Round(int accepted, double acceptSeconds, BenchResult result) {
    }

    /**
     * Starts {@code count} rotations of the secrets {@code first..first+count-1}, all at once or, with {@code rate > 0},
     * one every {@code 1/rate} s, and waits for them. Each one's time counts from its own request.
     */
    private Round round(HttpClient http, int first, int count, double rate) throws Exception {
        try (KafkaConsumer<String, byte[]> consumer = consumerAtEnd()) {
            // Completions are read from the start, on a thread of their own, so each one is timed when it is
            // published, not when the last request has been sent (which matters once requests are spread out).
            Completions completions = new Completions(consumer);
            Thread reader = new Thread(completions, "bench-completions");
            reader.start();
            Map<String, Long> sentAt = new ConcurrentHashMap<>();
            List<CompletableFuture<Void>> posts = new ArrayList<>();
            long start = System.nanoTime();
            try {
                for (int i = first; i < first + count; i++) {
                    if (rate > 0) {
                        long due = start + (long) ((i - first) * 1e9 / rate);
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        }
                    }
                    String body = JSON.writeValueAsString(Map.of("secretId", BenchCatalog.id(i), "trigger", "MANUAL",
                            "reason", "bench"));
                    long t = System.nanoTime();
                    posts.add(http.sendAsync(HttpRequest.newBuilder(orchestrator.resolve("/api/rotations"))
                            .header("Content-Type", "application/json").header("Authorization", bearer)
                            .timeout(Duration.ofSeconds(60))
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                            HttpResponse.BodyHandlers.ofString())
                            .thenAccept(r -> accepted(r, t, sentAt)));
                }
                CompletableFuture.allOf(posts.toArray(CompletableFuture[]::new)).join();
                double acceptSeconds = (System.nanoTime() - start) / 1e9;
                long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
                // A reader that died (the broker gone) ends the wait: what it missed is reported as lost.
                while (!completions.allOf(sentAt.keySet()) && reader.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                // A short extra read, so a duplicated completion published just after the last one is still counted.
                Thread.sleep(3_000);
                completions.stop();
                reader.join();
                BenchResult result = new BenchResult();
                completions.seen.forEach((id, times) -> {
                    if (sentAt.containsKey(id)) {
                        times.forEach(at -> result.completed(id, sentAt.get(id), at));
                    }
                });
                result.finish(start, sentAt.keySet());
                return new Round(sentAt.size(), acceptSeconds, result);
            } finally {
                completions.stop();
                reader.join();
            }
        }
    }

    /** Reads {@code rotation-completed} records until stopped, noting when each rotation's completion was seen. */
    private static final class Completions implements Runnable {
        private final KafkaConsumer<String, byte[]> consumer;
        final Map<String, List<Long>> seen = new ConcurrentHashMap<>();
        private volatile boolean stopped;

        Completions(KafkaConsumer<String, byte[]> consumer) {
            this.consumer = consumer;
        }

        @Override
        public void run() {
            while (!stopped) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    Header type = r.headers().lastHeader("ce_type");
                    if (type != null && COMPLETED.equals(new String(type.value(), StandardCharsets.UTF_8))) {
                        seen.computeIfAbsent(r.key(), k -> java.util.Collections.synchronizedList(new ArrayList<>()))
                                .add(System.nanoTime());
                    }
                }
            }
        }

        boolean allOf(java.util.Set<String> ids) {
            return seen.keySet().containsAll(ids);
        }

        void stop() {
            stopped = true;
        }
    }

    private static void accepted(HttpResponse<String> r, long sentNanos, Map<String, Long> sentAt) {
        if (r.statusCode() != 202) {
            System.out.println("refused " + r.statusCode() + ": " + r.body());
            return;
        }
        try {
            sentAt.put(JSON.readTree(r.body()).get("id").asText(), sentNanos);
        } catch (Exception e) {
            throw new IllegalStateException("unreadable 202 body", e);
        }
    }

    private KafkaConsumer<String, byte[]> consumerAtEnd() {
        Map<String, Object> config = KafkaEnv.clientConfig(System.getenv(), bootstrap);
        config.put("group.id", "rotor-bench-" + UUID.randomUUID());
        config.put("enable.auto.commit", false);
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor("rotor.rotations", Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }
}

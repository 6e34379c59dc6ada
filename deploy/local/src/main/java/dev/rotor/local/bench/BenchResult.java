package dev.rotor.local.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the saga benchmark saw: completions per rotation and latencies from request to completion. */
final class BenchResult {
    private final Map<String, Integer> completions = new HashMap<>();
    private final List<Double> latencies = new ArrayList<>();
    private int lost;
    private long startNanos;
    private long lastCompletionNanos;

    void completed(String rotationId, Long sentNanos, long now) {
        int n = completions.merge(rotationId, 1, Integer::sum);
        if (n == 1 && sentNanos != null) {
            latencies.add((now - sentNanos) / 1e9);
            lastCompletionNanos = Math.max(lastCompletionNanos, now);
        }
    }

    int distinct() {
        return completions.size();
    }

    void finish(long start, Set<String> accepted) {
        startNanos = start;
        lost = (int) accepted.stream().filter(id -> !completions.containsKey(id)).count();
        Collections.sort(latencies);
    }

    int duplicated() {
        return (int) completions.values().stream().filter(n -> n > 1).count();
    }

    boolean clean(int expected) {
        return lost == 0 && duplicated() == 0 && completions.size() == expected;
    }

    String report(int expected) {
        double span = latencies.isEmpty() ? Double.NaN : (lastCompletionNanos - startNanos) / 1e9;
        return String.format("sagas: %d requested, %d completed, %d lost, %d with duplicated completion%n"
                + "throughput: %.1f sagas/s%nrequest -> COMPLETED: p50 %.2f s, p99 %.2f s, max %.2f s",
                expected, completions.size(), lost, duplicated(), latencies.size() / span, percentile(0.50),
                percentile(0.99), percentile(1.0));
    }

    double p99() {
        return percentile(0.99);
    }

    private double percentile(double p) {
        if (latencies.isEmpty()) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p * latencies.size()) - 1;
        return latencies.get(Math.max(0, Math.min(index, latencies.size() - 1)));
    }
}

package dev.rotor.local.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Samples another JVM's used heap with {@code jcmd <pid> GC.heap_info} (every generation's "used", garbage included),
 * and its live heap after a full collection ({@code GC.run}) when asked, so the benchmark can show it stays flat.
 */
final class HeapSampler implements AutoCloseable {
    private static final Pattern USED = Pattern.compile("total (\\d+)K, used (\\d+)K");
    private final long pid;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long firstKb = -1;
    private volatile long lastKb = -1;
    private volatile long peakKb = -1;
    private volatile long liveBeforeKb = -1;
    private volatile long liveAfterKb = -1;

    HeapSampler(long pid) {
        this.pid = pid;
        this.thread = new Thread(this::loop, "heap-sampler");
        this.thread.setDaemon(true);
        if (pid > 0) {
            thread.start();
        }
    }

    private void loop() {
        while (running) {
            long used = sample();
            if (used >= 0) {
                if (firstKb < 0) {
                    firstKb = used;
                }
                lastKb = used;
                peakKb = Math.max(peakKb, used);
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    long sample() {
        String jcmd = System.getProperty("java.home") + "/bin/jcmd";
        try {
            Process p = new ProcessBuilder(jcmd, Long.toString(pid), "GC.heap_info").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            // G1 prints one heap line; the serial collector one per generation.
            Matcher m = USED.matcher(out);
            long used = -1;
            while (m.find()) {
                used = Math.max(used, 0) + Long.parseLong(m.group(2));
            }
            return used;
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }

    /** The heap after a full collection: what the process really keeps. */
    long live() {
        if (pid <= 0) {
            return -1;
        }
        String jcmd = System.getProperty("java.home") + "/bin/jcmd";
        try {
            Process p = new ProcessBuilder(jcmd, Long.toString(pid), "GC.run").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return -1;
        }
        return sample();
    }

    void liveBefore() {
        liveBeforeKb = live();
    }

    void liveAfter() {
        liveAfterKb = live();
    }

    String summary() {
        if (peakKb < 0) {
            return "orchestrator heap: not sampled (give --orchestrator-pid; needs jcmd from a JDK)";
        }
        String sampled = String.format("orchestrator heap used: first %d MB, peak %d MB, last %d MB", firstKb / 1024,
                peakKb / 1024, lastKb / 1024);
        if (liveBeforeKb < 0 || liveAfterKb < 0) {
            return sampled;
        }
        return sampled + String.format("%norchestrator live heap after a full GC: %d MB before the measured round,"
                + " %d MB after it", liveBeforeKb / 1024, liveAfterKb / 1024);
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}

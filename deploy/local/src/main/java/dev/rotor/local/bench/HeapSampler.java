package dev.rotor.local.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Samples another JVM's used heap with {@code jcmd <pid> GC.heap_info}, so the benchmark can show it stays flat. */
final class HeapSampler implements AutoCloseable {
    private static final Pattern USED = Pattern.compile("total (\\d+)K, used (\\d+)K");
    private final long pid;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long firstKb = -1;
    private volatile long lastKb = -1;
    private volatile long peakKb = -1;

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
            Matcher m = USED.matcher(out);
            return m.find() ? Long.parseLong(m.group(2)) : -1;
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }

    String summary() {
        if (peakKb < 0) {
            return "orchestrator heap: not sampled (give --orchestrator-pid; needs jcmd from a JDK)";
        }
        return String.format("orchestrator heap used: first %d MB, peak %d MB, last %d MB", firstKb / 1024,
                peakKb / 1024, lastKb / 1024);
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}

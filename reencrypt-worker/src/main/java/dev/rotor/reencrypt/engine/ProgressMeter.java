package dev.rotor.reencrypt.engine;

/** Counts rows and calls the listener at most once per interval (and once at the end). */
final class ProgressMeter {
    private final RunControl listener;
    private final long intervalNanos;
    private final long started = System.nanoTime();
    private long total;
    private long done;
    private long lastReport = started;

    ProgressMeter(RunControl listener, long intervalMillis) {
        this.listener = listener;
        this.intervalNanos = intervalMillis * 1_000_000L;
    }

    void total(long rows) {
        total = rows;
    }

    void advance(long rows) {
        done += rows;
        long now = System.nanoTime();
        if (now - lastReport >= intervalNanos) {
            lastReport = now;
            listener.onProgress(snapshot(now));
        }
    }

    void finish() {
        listener.onProgress(snapshot(System.nanoTime()));
    }

    private Progress snapshot(long now) {
        double seconds = Math.max(1e-3, (now - started) / 1e9);
        double rate = done / seconds;
        long shown = Math.min(done, Math.max(total, done));
        Long eta = rate > 0 ? Math.max(0L, Math.round((Math.max(total, done) - shown) / rate)) : null;
        return new Progress(shown, Math.max(total, done), Math.round(rate * 10) / 10.0, eta);
    }
}

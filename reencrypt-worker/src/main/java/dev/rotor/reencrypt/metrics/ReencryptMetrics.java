package dev.rotor.reencrypt.metrics;

import dev.rotor.contracts.messages.Direction;
import dev.rotor.reencrypt.engine.Progress;
import dev.rotor.reencrypt.engine.ReencryptReport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The worker's own series (the step counter and the dead-letter counter come from {@code rotor-messaging}). Labels
 * are the secret's catalog id, the direction and the mode, never a key or a value.
 *
 * <ul>
 *   <li>{@code rotor_reencrypt_rows_total{secret,direction,mode}}: rows a job re-encrypted, added when it completes
 *       (a dry run adds nothing). A re-run after a crash adds only the rows it rewrote: rows already under the target
 *       key are left alone, so nothing is counted twice.</li>
 *   <li>{@code rotor_reencrypt_rows_per_second{secret,direction}}: while a job runs, its progress rate (online mode
 *       reads every row again to verify, and counts that pass too); once it completes, its rows re-encrypted divided
 *       by its duration. It keeps the last job's value until the next one starts.</li>
 * </ul>
 */
@ApplicationScoped
public class ReencryptMetrics {
    @Inject
    MeterRegistry registry;

    private record Key(String secret, Direction direction) {
    }

    /** Double bits, per (secret, direction); a gauge reads them. */
    private final Map<Key, AtomicLong> rates = new ConcurrentHashMap<>();

    public void progressed(String secretId, Direction direction, Progress progress) {
        rate(secretId, direction).set(Double.doubleToLongBits(progress.rowsPerSecond()));
    }

    public void completed(String secretId, Direction direction, ReencryptReport report) {
        if (report.dryRun()) {
            return;
        }
        Counter.builder("rotor_reencrypt_rows_total").description("Rows re-encrypted, by secret, direction and mode")
                .tags("secret", secretId, "direction", direction.name(), "mode", report.mode().name())
                .register(registry).increment(report.rewritten());
        double seconds = Math.max(1e-3, report.elapsed().toNanos() / 1e9);
        rate(secretId, direction).set(Double.doubleToLongBits(report.rewritten() / seconds));
    }

    private AtomicLong rate(String secretId, Direction direction) {
        return rates.computeIfAbsent(new Key(secretId, direction), k -> {
            AtomicLong bits = new AtomicLong(Double.doubleToLongBits(0));
            Gauge.builder("rotor_reencrypt_rows_per_second", bits, b -> Double.longBitsToDouble(b.get()))
                    .description("Rows per second of the running job, or of the last one once it completed")
                    .tags("secret", k.secret(), "direction", k.direction().name()).register(registry);
            return bits;
        });
    }
}

package dev.rotor.orchestrator.metrics;

import dev.rotor.contracts.catalog.SecretEntry;
import dev.rotor.orchestrator.catalog.CatalogHolder;
import dev.rotor.orchestrator.catalog.CronSchedule;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import dev.rotor.orchestrator.persistence.ShuttingDown;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Gauges read from the database every 15 s (never on the scrape itself): the outbox backlog and the age of its
 * oldest row, the lag of the most overdue timer, and per catalog entry the age of its current value and the seconds
 * until it is due (negative once overdue). An entry never rotated by Rotor has no age series; one with neither a
 * schedule nor a {@code max-age} has no due series.
 *
 * <ul>
 *   <li>{@code rotor_outbox_backlog}, {@code rotor_outbox_oldest_age_seconds}, {@code rotor_timer_lag_seconds}</li>
 *   <li>{@code rotor_secret_age_seconds{secret}}, {@code rotor_secret_due_seconds{secret}}</li>
 * </ul>
 */
@ApplicationScoped
public class RotorGauges {
    private static final Logger LOG = Logger.getLogger(RotorGauges.class);

    @Inject
    MeterRegistry registry;
    @Inject
    AgroalDataSource db;
    @Inject
    CatalogHolder catalog;

    private final Map<String, Double> values = new ConcurrentHashMap<>();

    @Scheduled(every = "15s", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = ShuttingDown.class)
    void refresh() {
        Instant now = Instant.now();
        try (Connection c = db.getConnection()) {
            set("rotor_outbox_backlog", null, "Outbox rows not yet acknowledged by the broker",
                    single(c, "select count(*) from outbox where published_at is null"));
            set("rotor_outbox_oldest_age_seconds", null, "Age of the oldest unpublished outbox row (0 when none)",
                    single(c, "select coalesce(extract(epoch from now() - min(created_at)), 0) from outbox"
                            + " where published_at is null"));
            set("rotor_timer_lag_seconds", null, "How long the most overdue unfired timer has been due (0 when none)",
                    single(c, "select coalesce(extract(epoch from now() - min(due_at)), 0) from timer"
                            + " where fired_at is null and due_at <= now()"));
            Map<String, Instant> lastRotated = lastRotated(c);
            for (SecretEntry entry : catalog.secrets()) {
                Instant last = lastRotated.get(entry.id());
                if (last != null) {
                    set("rotor_secret_age_seconds", entry.id(), "Age of the secret's current value (since its last"
                            + " completed rotation)", now.getEpochSecond() - last.getEpochSecond());
                }
                due(entry, last, now).ifPresent(due -> set("rotor_secret_due_seconds", entry.id(),
                        "Seconds until the secret is due: its next scheduled run, or its max-age (negative: overdue)",
                        due.getEpochSecond() - now.getEpochSecond()));
            }
        } catch (SQLException e) {
            LOG.debugf("metrics refresh skipped: %s", e.getMessage());
        }
    }

    /** The earlier of the next scheduled run and the end of the max-age. */
    public static Optional<Instant> due(SecretEntry entry, Instant lastRotated, Instant now) {
        Optional<Instant> scheduled = entry.schedule() == null || entry.schedule().cron() == null ? Optional.empty()
                : CronSchedule.parse(entry.schedule().cron()).next(now);
        Optional<Instant> maxAge = lastRotated == null ? Optional.empty()
                : entry.maxAgeDuration().map(lastRotated::plus);
        return scheduled.isEmpty() ? maxAge : maxAge.isEmpty() ? scheduled
                : Optional.of(scheduled.get().isBefore(maxAge.get()) ? scheduled.get() : maxAge.get());
    }

    private void set(String name, String secret, String description, double value) {
        String key = name + "|" + (secret == null ? "" : secret);
        if (values.put(key, value) == null) {
            Gauge.Builder<Map<String, Double>> gauge = Gauge.builder(name, values, v -> v.getOrDefault(key,
                    Double.NaN)).description(description);
            if (secret != null) {
                gauge.tag("secret", secret);
            }
            gauge.register(registry);
        }
    }

    private static double single(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getDouble(1) : 0;
        }
    }

    private static Map<String, Instant> lastRotated(Connection c) throws SQLException {
        Map<String, Instant> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select secret_id, max(completed_at) from rotation"
                + " where state = 'COMPLETED' and not dry_run group by secret_id");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getTimestamp(2).toInstant());
            }
        }
        return out;
    }
}

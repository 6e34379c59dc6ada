package dev.rotor.orchestrator.dashboard;

import dev.rotor.contracts.catalog.SecretEntry;
import dev.rotor.orchestrator.catalog.CatalogHolder;
import dev.rotor.orchestrator.catalog.CronSchedule;
import dev.rotor.orchestrator.metrics.RotorGauges;
import dev.rotor.orchestrator.persistence.RotationEntity;
import dev.rotor.orchestrator.retention.Retention;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The dashboard's secrets table: per catalog entry its versions and last rotation ({@link Retention}, as
 * {@code GET /api/secrets} shows them), the next scheduled run, and whether it is overdue: past the earlier of its
 * schedule and its {@code max-age}, the same due time as the {@code rotor_secret_due_seconds} gauge.
 */
@ApplicationScoped
public class SecretOverview {
    @Inject
    CatalogHolder catalog;
    @Inject
    Retention retention;

    /**
     * One entry. {@code age} is the current value's age since its last completed rotation (null when Rotor never
     * rotated it); {@code last} is the newest rotation of any kind, dry runs included.
     */
    public record Row(String id, String kind, String strategy, Integer currentVersion, Integer previousVersion,
            Instant lastRotatedAt, String age, Instant nextScheduledAt, Instant dueAt, boolean overdue,
            boolean reencrypts, LastRotation last) {
    }

    /** The newest rotation of a secret. */
    public record LastRotation(UUID id, String state, String trigger, boolean dryRun, Instant requestedAt) {
    }

    /** The catalog's secret ids, in catalog order. */
    public List<String> secretIds() {
        return catalog.secrets().stream().map(SecretEntry::id).toList();
    }

    public Uni<List<Row>> rows() {
        Instant now = Instant.now();
        return Panache.withSession(() -> Multi.createFrom().iterable(catalog.secrets())
                .onItem().transformToUniAndConcatenate(entry -> row(entry, now))
                .collect().asList());
    }

    private Uni<Row> row(SecretEntry entry, Instant now) {
        return retention.of(entry.id()).chain(status -> RotationEntity.<RotationEntity>find(
                        "secretId = ?1 order by requestedAt desc", entry.id()).firstResult()
                .map(last -> {
                    Instant next = entry.schedule() == null || entry.schedule().cron() == null ? null
                            : CronSchedule.parse(entry.schedule().cron()).next(now).orElse(null);
                    Instant due = RotorGauges.due(entry, status.lastRotatedAt(), now).orElse(null);
                    return new Row(entry.id(),
                            entry.kind() == null ? "" : entry.kind().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                            entry.strategy() == null ? "" : entry.strategy().catalogName(),
                            status.currentVersion(), status.previousVersion(), status.lastRotatedAt(),
                            status.lastRotatedAt() == null ? null : Durations.human(
                                    Duration.between(status.lastRotatedAt(), now)),
                            next, due, due != null && due.isBefore(now), entry.reencrypt() != null,
                            last == null ? null : new LastRotation(last.id, last.state, last.trigger, last.dryRun,
                                    last.requestedAt));
                }));
    }
}

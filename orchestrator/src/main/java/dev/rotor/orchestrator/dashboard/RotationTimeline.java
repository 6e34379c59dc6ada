package dev.rotor.orchestrator.dashboard;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.rotor.contracts.json.RotorJson;
import dev.rotor.orchestrator.audit.AuditEntryEntity;
import dev.rotor.orchestrator.persistence.RotationEntity;
import dev.rotor.orchestrator.persistence.RotationProgressEntity;
import dev.rotor.orchestrator.rollout.RolloutStatus;
import dev.rotor.orchestrator.report.RotationReport;
import dev.rotor.orchestrator.report.RotationReports;
import dev.rotor.orchestrator.rest.ProblemException;
import dev.rotor.orchestrator.saga.RotationState;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The dashboard's rotations: the filtered list, and one rotation's saga timeline built from its
 * {@link RotationReport} (steps in both directions with attempts and times, milestones, approvals, manual steps),
 * its latest progress report (rows/s, ETA) and its audit entries (each attempt started, failed or compensated).
 */
@ApplicationScoped
public class RotationTimeline {
    /** Every rotation state, for the filter. */
    public static final List<String> STATES = Arrays.stream(RotationState.values()).map(Enum::name).toList();
    private static final int LIST_LIMIT = 200;
    private static final List<String> DETAIL_KEYS = List.of("step", "direction", "attempt", "from", "to",
            "failedStep", "retrying", "error");

    @Inject
    RotationReports reports;

    /** The rotations list's filter; blank means any. */
    public record Filter(String state, String secret) {
        static Filter of(String state, String secret) {
            String s = state == null || state.isBlank() ? null : state.trim().toUpperCase(java.util.Locale.ROOT);
            if (s != null && !STATES.contains(s)) {
                throw ProblemException.badRequest("query parameter 'state' must be one of " + STATES);
            }
            return new Filter(s, secret == null || secret.isBlank() ? null : secret.trim());
        }
    }

    /** A rotation in the list. */
    public record ListRow(UUID id, String secretId, String strategy, String trigger, boolean dryRun, String state,
            String requestedBy, Instant requestedAt, Instant completedAt, String took) {
    }

    /** One step of the timeline: ran (with its times) or still to come in the frozen plan. */
    public record StepRow(String step, boolean compensation, String status, int attempts, Instant startedAt,
            Instant finishedAt, String took, String error, String detail) {
    }

    /** Progress of the running step, from the worker's last report. */
    public record Progress(String step, long done, long total, int percent, String rowsPerSecond, String eta,
            Instant updatedAt) {
    }

    /** An audit entry of the rotation, its detail summarised. */
    public record Event(long seq, Instant at, String kind, String subject, String summary) {
    }

    /** Everything the rotation page shows. */
    public record View(RotationReport report, boolean active, boolean awaitingApproval, List<StepRow> steps,
            Progress progress, List<Event> events, RolloutStatus rollout) {
    }

    public Uni<List<ListRow>> list(Filter filter) {
        StringBuilder query = new StringBuilder("1 = 1");
        Map<String, Object> params = new java.util.HashMap<>();
        if (filter.state() != null) {
            query.append(" and state = :state");
            params.put("state", filter.state());
        }
        if (filter.secret() != null) {
            query.append(" and secretId = :secret");
            params.put("secret", filter.secret());
        }
        return Panache.withSession(() -> RotationEntity.<RotationEntity>find(query + " order by requestedAt desc",
                        params).page(0, LIST_LIMIT).list())
                .map(rows -> rows.stream().map(r -> new ListRow(r.id, r.secretId, r.strategy, r.trigger, r.dryRun,
                        r.state, r.requestedBy, r.requestedAt, r.completedAt, r.completedAt == null ? null
                                : Durations.human(Duration.between(r.requestedAt, r.completedAt)))).toList());
    }

    /** 404 (as a problem the dashboard renders) for an unknown rotation. */
    public Uni<View> view(UUID id) {
        return reports.report(id).chain(report -> {
            if (report == null) {
                return Uni.createFrom().failure(ProblemException.notFound("no rotation with id " + id));
            }
            return Panache.withSession(() -> RotationProgressEntity.<RotationProgressEntity>findById(id)
                    .chain(progress -> RotationEntity.<RotationEntity>findById(id).chain(row -> AuditEntryEntity
                            .<AuditEntryEntity>list("rotationId = ?1 order by seq", id)
                            .map(audit -> build(report, progress, audit, row == null ? null
                                    : RolloutStatus.of(row))))));
        });
    }

    private static View build(RotationReport r, RotationProgressEntity p, List<AuditEntryEntity> audit,
            RolloutStatus rollout) {
        RotationState state = RotationState.valueOf(r.state());
        List<StepRow> steps = new ArrayList<>(r.timeline().stream().map(s -> new StepRow(s.step(),
                "COMPENSATE".equals(s.direction()), s.status(), s.attempts(), s.startedAt(), s.finishedAt(),
                Durations.millis(s.durationMillis()), s.error(), s.detail())).toList());
        if (r.plan() != null && state.active()) {
            Set<String> ran = r.timeline().stream().map(RotationReport.StepLine::step).collect(Collectors.toSet());
            r.plan().steps().stream().filter(s -> !ran.contains(s.step())).forEach(s -> steps.add(new StepRow(
                    s.step(), false, s.deferred() ? "AFTER GRACE" : "PENDING", 0, null, null, null, null, null)));
        }
        Progress progress = p == null ? null : new Progress(p.step, p.done, p.total,
                p.total <= 0 ? 0 : (int) Math.min(100, p.done * 100 / p.total),
                String.format(java.util.Locale.ROOT, "%,.0f", p.rowsPerSecond),
                p.etaSeconds == null ? null : Durations.human(Duration.ofSeconds(p.etaSeconds)), p.updatedAt);
        List<Event> events = audit.stream().map(a -> new Event(a.seq == null ? 0 : a.seq, a.occurredAt, a.kind,
                a.subject, summary(a.detail))).toList();
        return new View(r, state.active(), state == RotationState.AWAITING_APPROVAL, steps, progress, events,
                rollout);
    }

    /** The detail's step, direction, attempt, states and error, in that order; the raw JSON if it is not an object. */
    static String summary(String detail) {
        if (detail == null || detail.isBlank()) {
            return "";
        }
        try {
            Map<String, Object> map = RotorJson.mapper().readValue(detail, new TypeReference<Map<String, Object>>() {
            });
            return DETAIL_KEYS.stream().filter(k -> map.get(k) != null).map(k -> k + " " + map.get(k))
                    .collect(Collectors.joining(" · "));
        } catch (IOException e) {
            return detail;
        }
    }
}

package dev.rotor.orchestrator.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rotor.contracts.json.RotorJson;
import dev.rotor.contracts.messages.MessageTypes;
import dev.rotor.contracts.messages.Topics;
import dev.rotor.orchestrator.audit.AuditChainer;
import dev.rotor.orchestrator.audit.AuditEntryEntity;
import dev.rotor.orchestrator.persistence.FrozenPlans;
import dev.rotor.orchestrator.persistence.OutboxEntity;
import dev.rotor.orchestrator.persistence.RotationEntity;
import dev.rotor.orchestrator.persistence.RotationStepEntity;
import dev.rotor.orchestrator.persistence.Timestamps;
import dev.rotor.orchestrator.saga.FrozenPlan;
import dev.rotor.orchestrator.saga.PlanStep;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/** Builds {@link RotationReport}s from the database; renders them as Markdown. */
@ApplicationScoped
public class RotationReports {

    /** The report of a rotation, or null when there is no such rotation. */
    public Uni<RotationReport> report(UUID id) {
        return AuditChainer.chainNow().chain(() -> Panache.withSession(() -> RotationEntity.<RotationEntity>findById(id).chain(row -> {
            if (row == null) {
                return Uni.createFrom().nullItem();
            }
            return RotationStepEntity.<RotationStepEntity>list("rotationId = ?1 order by startedAt, idx", id)
                    .chain(steps -> OutboxEntity.<OutboxEntity>list("topic = ?1 and msgKey = ?2 order by createdAt, seq",
                            Topics.ROTATIONS, id.toString())
                            .chain(milestones -> approvals(id)
                                    .chain(approvals -> AuditEntryEntity.<AuditEntryEntity>list(
                                            "rotationId = ?1 order by seq", id)
                                            .chain(audit -> RotationEntity.<RotationEntity>list(
                                                    "parentId = ?1 order by requestedAt, secretId", id)
                                                    .map(children -> build(row, steps, milestones, approvals,
                                                            audit, children))))));
        })));
    }

    private static Uni<List<RotationReport.Approval>> approvals(UUID id) {
        return Panache.getSession().chain(s -> s.createNativeQuery("select subject, decision, roles, reason,"
                        + " decided_at from rotation_approval where rotation_id = ?1 order by decided_at, subject",
                        Object[].class)
                .setParameter(1, id).getResultList())
                .map(rows -> rows.stream().map(r -> new RotationReport.Approval((String) r[0], (String) r[1],
                        (String) r[2], (String) r[3], Timestamps.instant(r[4]))).toList());
    }

    private static RotationReport build(RotationEntity row, List<RotationStepEntity> steps,
            List<OutboxEntity> outbox, List<RotationReport.Approval> approvals, List<AuditEntryEntity> audit,
            List<RotationEntity> children) {
        FrozenPlan frozen = row.frozenPlan == null ? null : FrozenPlans.read(row.id, row.frozenPlan);
        List<RotationReport.StepLine> timeline = steps.stream()
                .sorted(Comparator.comparing((RotationStepEntity s) -> s.startedAt,
                        Comparator.nullsLast(Comparator.naturalOrder())))
                .map(s -> new RotationReport.StepLine(s.step, s.direction, s.status, s.attempts, s.startedAt,
                        s.finishedAt, s.startedAt == null || s.finishedAt == null ? null
                                : Duration.between(s.startedAt, s.finishedAt).toMillis(), s.error, s.detail))
                .toList();
        List<RotationReport.Milestone> milestones = outbox.stream().map(o -> new RotationReport.Milestone(
                MessageTypes.nameOf(o.type), o.createdAt, o.publishedAt)).toList();
        Long rows = outbox.stream().filter(o -> MessageTypes.nameOf(o.type).equals("reencrypted")).findFirst()
                .map(o -> field(o.payload, "rows")).orElse(null);
        return new RotationReport(row.id.toString(), row.secretId, row.strategy, row.trigger, row.reason,
                row.requestedBy, row.requestedAt, row.state, row.completedAt, row.error, approvals,
                frozen == null ? null : plan(frozen), frozen == null ? null : frozen.spec().store(),
                frozen == null ? List.of() : frozen.spec().targets(), row.fromVersion, row.toVersion, timeline, rows,
                milestones, row.manualSteps == null ? List.of() : List.of(row.manualSteps.split("\n")),
                "EMERGENCY".equals(row.trigger) ? exposure(row, steps, frozen) : null, audit.stream()
                        .map(a -> new RotationReport.AuditLine(a.seq, a.occurredAt, a.kind, a.subject, a.hash))
                        .toList(), row.parentId == null ? null : row.parentId.toString(), row.incident,
                row.incidentAt, children.stream().map(c -> new RotationReport.Child(c.id.toString(), c.secretId,
                        c.state, c.error, c.completedAt)).toList());
    }

    private static RotationReport.PlanView plan(FrozenPlan frozen) {
        return new RotationReport.PlanView(frozen.plan().name(), frozen.plan().dryRun(), frozen.plan().steps()
                .stream().map(RotationReports::step).toList());
    }

    private static RotationReport.PlanStepView step(PlanStep p) {
        return new RotationReport.PlanStepView(p.step().name(), p.retry().timeout(), p.retry().maxAttempts(),
                p.retry().backoff(), p.deferred(), p.compensable());
    }

    /**
     * From the incident's start (else the request; never later than the request) to the moment the old value stopped
     * working: UPDATE_SECRET's success when the plan keeps no
     * previous (the old value is destroyed then), else RETIRE_PREVIOUS's success, after the grace.
     */
    private static RotationReport.Exposure exposure(RotationEntity row, List<RotationStepEntity> steps,
            FrozenPlan frozen) {
        boolean keepsPrevious = frozen != null && frozen.plan().deferred().isPresent();
        String until = keepsPrevious ? "RETIRE_PREVIOUS" : "UPDATE_SECRET";
        Instant end = steps.stream().filter(s -> s.step.equals(until) && s.direction.equals("FORWARD")
                        && "SUCCEEDED".equals(s.status)).map(s -> s.finishedAt).findFirst().orElse(null);
        Instant start = row.incidentAt != null && row.incidentAt.isBefore(row.requestedAt) ? row.incidentAt
                : row.requestedAt;
        return new RotationReport.Exposure(start, end, end == null ? null : Duration.between(start, end), until);
    }

    private static Long field(String json, String name) {
        try {
            JsonNode node = RotorJson.mapper().readTree(json).get(name);
            return node == null || !node.isNumber() ? null : node.asLong();
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** The report as Markdown, for people and for tickets. */
    public static String markdown(RotationReport r) {
        StringBuilder md = new StringBuilder();
        md.append("# Rotation ").append(r.id()).append("\n\n");
        row(md, "Secret", r.secretId());
        row(md, "Strategy", r.strategy());
        row(md, "Trigger", r.trigger());
        row(md, "Reason", r.reason());
        row(md, "Requested by", r.requestedBy());
        row(md, "Requested at", r.requestedAt());
        row(md, "State", r.state());
        row(md, "Ended at", r.completedAt());
        row(md, "Versions", (r.fromVersion() == null ? "-" : "v" + r.fromVersion()) + " -> "
                + (r.toVersion() == null ? "-" : "v" + r.toVersion()));
        if (r.error() != null) {
            row(md, "Error", r.error());
        }
        if (r.rowsReencrypted() != null) {
            row(md, "Rows re-encrypted", r.rowsReencrypted());
        }
        if (r.incident() != null) {
            row(md, "Incident", r.incident() + (r.incidentAt() == null ? "" : " (began " + r.incidentAt() + ")"));
        }
        boolean rollback = dev.rotor.contracts.messages.Trigger.ROLLBACK.name().equals(r.trigger());
        if (r.parentId() != null) {
            row(md, rollback ? "Rolls back" : "Started by", "rotation " + r.parentId()
                    + (rollback ? "" : " (related entry)"));
        }
        for (RotationReport.Child c : r.children()) {
            row(md, "Related", c.secretId() + ": rotation " + c.id() + ", " + c.state()
                    + (c.error() == null ? "" : " (" + c.error() + ")"));
        }
        if (r.exposure() != null) {
            RotationReport.Exposure e = r.exposure();
            row(md, "Exposure", e.end() == null ? "open since " + e.start() + " (the old value still works until "
                    + e.until() + ")" : e.start() + " to " + e.end() + " (" + e.length() + ", ended by " + e.until()
                    + ")");
        }
        md.append("\n## Approvals\n\n");
        if (r.approvals().isEmpty()) {
            md.append("None.\n");
        }
        r.approvals().forEach(a -> md.append("- ").append(a.decision()).append(" by ").append(a.subject())
                .append(" (").append(a.roles()).append(") at ").append(a.decidedAt())
                .append(a.reason() == null ? "" : ": " + a.reason()).append('\n'));
        md.append("\n## Plan\n\n");
        if (r.plan() == null) {
            md.append("Not recorded (accepted before plans were frozen).\n");
        } else {
            md.append("`").append(r.plan().name()).append("`").append(r.plan().dryRun() ? " (dry run)" : "")
                    .append("\n\n| step | timeout | attempts | backoff | after grace |\n|---|---|---|---|---|\n");
            r.plan().steps().forEach(s -> md.append("| ").append(s.step()).append(" | ").append(text(s.timeout()))
                    .append(" | ").append(text(s.maxAttempts())).append(" | ").append(text(s.backoff()))
                    .append(" | ").append(s.deferred() ? "yes" : "").append(" |\n"));
        }
        md.append("\n## Touched\n\n");
        if (r.store() != null) {
            md.append("- store: ").append(r.store().type()).append(' ').append(r.store().path()).append('\n');
        }
        r.targets().forEach(t -> md.append("- target: ").append(t.type()).append(' ').append(t.path())
                .append(t.variable() == null ? "" : " " + t.variable())
                .append(t.field() == null ? "" : " field " + t.field()).append('\n'));
        md.append("\n## Timeline\n\n| step | direction | status | attempts | started | finished | ms | error |\n"
                + "|---|---|---|---|---|---|---|---|\n");
        r.timeline().forEach(s -> md.append("| ").append(s.step()).append(" | ").append(s.direction())
                .append(" | ").append(s.status()).append(" | ").append(s.attempts()).append(" | ")
                .append(text(s.startedAt())).append(" | ").append(text(s.finishedAt())).append(" | ")
                .append(text(s.durationMillis())).append(" | ").append(cell(s.error())).append(" |\n"));
        md.append("\n## Milestones sent\n\n");
        r.milestones().forEach(m -> md.append("- ").append(m.type()).append(" at ").append(m.at())
                .append(m.publishedAt() == null ? " (not yet published)" : "").append('\n'));
        md.append("\n## Manual steps left\n\n");
        if (r.manualSteps().isEmpty()) {
            md.append("None.\n");
        }
        for (int i = 0; i < r.manualSteps().size(); i++) {
            md.append(i + 1).append(". ").append(r.manualSteps().get(i)).append('\n');
        }
        md.append("\n## Audit entries\n\n");
        if (r.audit().isEmpty()) {
            md.append("None recorded.\n");
        }
        r.audit().forEach(a -> md.append("- #").append(a.seq()).append(' ').append(a.at()).append(' ')
                .append(a.kind()).append(" by ").append(a.subject()).append(" `").append(a.hash()).append("`\n"));
        return md.toString();
    }

    private static void row(StringBuilder md, String name, Object value) {
        md.append("- **").append(name).append(":** ").append(value == null ? "-" : value).append('\n');
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }

    private static String cell(String value) {
        return value == null ? "" : value.replace("|", "\\|").replace("\n", " ");
    }
}

package dev.rotor.orchestrator.audit;

import dev.rotor.contracts.messages.Direction;
import dev.rotor.contracts.messages.Step;
import dev.rotor.contracts.messages.RetireOverdue;
import dev.rotor.orchestrator.persistence.RetireGates;
import dev.rotor.orchestrator.persistence.RotationEntity;
import dev.rotor.orchestrator.persistence.RotationStepEntity;
import dev.rotor.orchestrator.persistence.SagaStore;
import dev.rotor.orchestrator.saga.RetireGate;
import dev.rotor.orchestrator.saga.RotationState;
import dev.rotor.orchestrator.saga.Saga;
import dev.rotor.orchestrator.saga.StepRun;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The audit entries of one saga transition, found by comparing the rows as loaded (the state before) with the saga
 * the engine just changed (the state after). Must run before the rows are updated from the saga. Order: the outcomes
 * of attempts, then the rotation's change of state, then the attempts that started, so the chain reads as the saga
 * ran (a failed step, compensation started, its compensation sent).
 */
public final class AuditTransitions {
    private AuditTransitions() {
    }

    public static List<AuditRecord> between(SagaStore.Loaded loaded, Instant now) {
        RotationEntity row = loaded.row();
        Saga s = loaded.saga();
        List<AuditRecord> outcomes = new ArrayList<>();
        List<AuditRecord> started = new ArrayList<>();
        for (StepRun run : s.runs) {
            RotationStepEntity before = loaded.steps().stream()
                    .filter(e -> e.step.equals(run.step.name()) && e.direction.equals(run.direction.name()))
                    .findFirst().orElse(null);
            if (before != null && before.status.equals(run.status.name()) && before.attempts == run.attempts) {
                continue;
            }
            switch (run.status) {
                case RUNNING -> started.add(step(s, now, AuditKinds.STEP_STARTED, run, Map.of()));
                case RETRY_WAIT -> outcomes.add(step(s, now, AuditKinds.STEP_FAILED, run,
                        failure(run.error, true)));
                case FAILED -> outcomes.add(step(s, now, AuditKinds.STEP_FAILED, run, failure(run.error, false)));
                case COMPENSATED -> outcomes.add(step(s, now, AuditKinds.STEP_COMPENSATED, run, result(run)));
                case SUCCEEDED -> {
                    if (run.direction == Direction.COMPENSATE) {
                        outcomes.add(step(s, now, AuditKinds.STEP_COMPENSATED, run, result(run)));
                    } else {
                        outcomes.add(step(s, now, AuditKinds.STEP_SUCCEEDED, run, succeeded(s, run)));
                        if (run.step == Step.RETIRE_PREVIOUS) {
                            outcomes.add(record(s, now, AuditKinds.PREVIOUS_RETIRED, versions(s)));
                        }
                    }
                }
            }
        }
        List<AuditRecord> out = new ArrayList<>(outcomes);
        if (!row.state.equals(s.state.name())) {
            out.add(record(s, now, stateKind(s.state), state(row, s)));
        }
        if ((row.manualSteps == null || row.manualSteps.isEmpty()) && !s.manualSteps.isEmpty()) {
            out.add(record(s, now, AuditKinds.MANUAL_STEPS, Map.of("steps", List.copyOf(s.manualSteps))));
        }
        if (s.retirementError != null && !s.retirementError.equals(row.retirementError)) {
            Map<String, Object> detail = versions(s);
            detail.put("error", s.retirementError);
            out.add(record(s, now, AuditKinds.RETIREMENT_FAILED, detail));
        }
        gate(s, RetireGates.read(row.retireGate), now, out);
        out.addAll(started);
        return out;
    }

    /** What the usage gate decided: deferred, alerted, or retiring at max-grace (a forced one is the caller's). */
    private static void gate(Saga s, RetireGate before, Instant now, List<AuditRecord> out) {
        RetireGate after = s.gate;
        if (after == null) {
            return;
        }
        before = before == null ? RetireGate.NONE : before;
        if (before.deferredAt() == null && after.deferredAt() != null) {
            out.add(record(s, now, AuditKinds.RETIREMENT_DEFERRED, gateDetail(s, after, null)));
        }
        if (before.alertedAt() == null && after.alertedAt() != null) {
            out.add(record(s, now, AuditKinds.RETIREMENT_OVERDUE, gateDetail(s, after, RetireOverdue.ALERT_ABOVE)));
        }
        if (before.outcome() == null && RetireGate.AT_MAX_GRACE.equals(after.outcome())) {
            out.add(record(s, now, AuditKinds.RETIREMENT_OVERDUE, gateDetail(s, after, RetireOverdue.MAX_GRACE)));
        }
    }

    private static Map<String, Object> gateDetail(Saga s, RetireGate gate, String cause) {
        Map<String, Object> detail = new LinkedHashMap<>();
        putIfSet(detail, "version", s.fromVersion);
        putIfSet(detail, "cause", cause);
        // The chain's canonical JSON holds whole numbers only: the share is written as its text.
        detail.put("share", gate.share() == null ? "unknown" : String.valueOf(gate.share()));
        putIfSet(detail, "probe", gate.probe());
        if (RetireOverdue.MAX_GRACE.equals(cause)) {
            detail.put("retiring", true);
        }
        return detail;
    }

    private static String stateKind(RotationState to) {
        return switch (to) {
            case RUNNING -> AuditKinds.ROTATION_STARTED;
            case COMPENSATING -> AuditKinds.COMPENSATION_STARTED;
            case COMPLETED -> AuditKinds.ROTATION_COMPLETED;
            case ROLLED_BACK -> AuditKinds.ROTATION_ROLLED_BACK;
            case FAILED -> AuditKinds.ROTATION_FAILED;
            default -> "rotation-" + to.name().toLowerCase().replace('_', '-');
        };
    }

    private static Map<String, Object> state(RotationEntity row, Saga s) {
        Map<String, Object> detail = versions(s);
        detail.put("from", row.state);
        detail.put("to", s.state.name());
        if (s.state != RotationState.RUNNING) {
            putIfSet(detail, "failedStep", s.failedStep == null ? null : s.failedStep.name());
            putIfSet(detail, "error", s.error);
        }
        return detail;
    }

    private static Map<String, Object> failure(String error, boolean retrying) {
        Map<String, Object> detail = new LinkedHashMap<>();
        putIfSet(detail, "error", error);
        detail.put("retrying", retrying);
        return detail;
    }

    private static Map<String, Object> succeeded(Saga s, StepRun run) {
        Map<String, Object> detail = result(run);
        if (run.step == Step.STAGE_SECRET) {
            detail.putAll(versions(s));
        }
        return detail;
    }

    private static Map<String, Object> result(StepRun run) {
        Map<String, Object> detail = new LinkedHashMap<>();
        putIfSet(detail, "result", run.detail);
        return detail;
    }

    private static Map<String, Object> versions(Saga s) {
        Map<String, Object> detail = new LinkedHashMap<>();
        putIfSet(detail, "fromVersion", s.fromVersion);
        putIfSet(detail, "toVersion", s.toVersion);
        return detail;
    }

    private static AuditRecord step(Saga s, Instant now, String kind, StepRun run, Map<String, Object> more) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("step", run.step.name());
        detail.put("direction", run.direction.name());
        detail.put("attempt", run.attempts);
        detail.putAll(more);
        return record(s, now, kind, detail);
    }

    private static AuditRecord record(Saga s, Instant now, String kind, Map<String, ?> detail) {
        return new AuditRecord(now, kind, Actor.ENGINE, null, s.secretId(), s.id, detail);
    }

    private static void putIfSet(Map<String, Object> detail, String key, Object value) {
        if (value != null && !Objects.equals(value, "")) {
            detail.put(key, value);
        }
    }
}

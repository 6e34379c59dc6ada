package dev.rotor.notifier.event;

import dev.rotor.contracts.messages.ApprovalRequested;
import dev.rotor.contracts.messages.ApprovalSkipped;
import dev.rotor.contracts.messages.CompensationStarted;
import dev.rotor.contracts.messages.CredentialApplied;
import dev.rotor.contracts.messages.FreezeOverridden;
import dev.rotor.contracts.messages.PreviousRetired;
import dev.rotor.contracts.messages.Reencrypted;
import dev.rotor.contracts.messages.RetireDeferred;
import dev.rotor.contracts.messages.RetireOverdue;
import dev.rotor.contracts.messages.RotationApproved;
import dev.rotor.contracts.messages.RotationCompleted;
import dev.rotor.contracts.messages.RotationDenied;
import dev.rotor.contracts.messages.RotationEvent;
import dev.rotor.contracts.messages.RotationExpired;
import dev.rotor.contracts.messages.RotationFailed;
import dev.rotor.contracts.messages.RotationRequested;
import dev.rotor.contracts.messages.RotationRolledBack;
import dev.rotor.contracts.messages.SecretStaged;
import dev.rotor.contracts.messages.SecretUpdated;
import dev.rotor.contracts.messages.TrafficDrained;
import dev.rotor.contracts.messages.TrafficRestored;
import java.util.List;

/**
 * What a person needs to read about a milestone, shared by every channel so Slack, the log and later channels say
 * the same thing. Only ids, version numbers, step names and the saga's own error text: never material.
 *
 * @param title a short headline, e.g. {@code Secret updated}
 * @param emoji the Slack emoji of the rotation's state after this milestone
 * @param versions e.g. {@code v1 → v2}, or null when the milestone has none
 * @param detail extra facts (strategy, rows, role, error), or null
 */
public record EventSummary(String title, String emoji, String versions, String failedStep, String detail) {
    private static final String IN_PROGRESS = ":arrows_counterclockwise:";

    public static EventSummary of(RotationEvent e) {
        if (e instanceof RotationRequested r) {
            return new EventSummary("Rotation requested", ":hourglass_flowing_sand:", null, null,
                    "strategy " + r.strategy() + (r.requestedBy() == null ? "" : ", requested by " + r.requestedBy()));
        } else if (e instanceof SecretStaged s) {
            return new EventSummary("New version staged", IN_PROGRESS, "v" + s.version() + " pending", null, null);
        } else if (e instanceof TrafficDrained) {
            return new EventSummary("Traffic drained", IN_PROGRESS, null, null, null);
        } else if (e instanceof Reencrypted r) {
            return new EventSummary("Data re-encrypted", IN_PROGRESS, span(r.fromVersion(), r.toVersion()), null,
                    r.rows() + " rows");
        } else if (e instanceof SecretUpdated u) {
            String versions = "v" + u.currentVersion() + " current"
                    + (u.previousVersion() == null ? "" : ", v" + u.previousVersion() + " previous");
            return new EventSummary("Secret updated", IN_PROGRESS, versions, null, null);
        } else if (e instanceof CredentialApplied c) {
            return new EventSummary("Credential applied", IN_PROGRESS, "v" + c.version(), null, "role " + c.role());
        } else if (e instanceof TrafficRestored) {
            return new EventSummary("Traffic restored", IN_PROGRESS, null, null, null);
        } else if (e instanceof PreviousRetired p) {
            return new EventSummary("Previous version retired", ":wastebasket:", "v" + p.version() + " retired",
                    null, null);
        } else if (e instanceof CompensationStarted c) {
            return new EventSummary("Rolling back", ":warning:", null, c.failedStep().name(), c.error());
        } else if (e instanceof RotationCompleted c) {
            return new EventSummary("Rotation completed", ":white_check_mark:", span(c.fromVersion(), c.toVersion()),
                    null, null);
        } else if (e instanceof RotationRolledBack r) {
            return new EventSummary("Rotation rolled back", ":leftwards_arrow_with_hook:", null,
                    r.failedStep() == null ? null : r.failedStep().name(), r.error());
        } else if (e instanceof RotationFailed f) {
            return new EventSummary("Rotation FAILED, manual action needed", ":x:", null, null, failure(f));
        } else if (e instanceof ApprovalRequested a) {
            return new EventSummary("Approval needed", ":raised_hand:", null, null, a.required() + " approval(s) by "
                    + String.join(" or ", a.roles()) + ", not " + a.requestedBy() + ", before " + a.expiresAt()
                    + "; approve with POST /api/rotations/" + a.rotationId() + "/approve");
        } else if (e instanceof ApprovalSkipped b) {
            return new EventSummary("BREAK-GLASS: emergency runs without approval", ":rotating_light:", null, null,
                    "requested by " + b.requestedBy());
        } else if (e instanceof RotationApproved a) {
            return new EventSummary("Rotation approved", IN_PROGRESS, null, null,
                    "approved by " + String.join(", ", a.approvers()));
        } else if (e instanceof RotationDenied d) {
            return new EventSummary("Rotation denied", ":no_entry:", null, null, "denied by " + d.deniedBy()
                    + (d.denial() == null ? "" : ": " + d.denial()) + "; nothing was changed");
        } else if (e instanceof RotationExpired x) {
            return new EventSummary("Approval expired", ":no_entry:", null, null, x.approvers().size()
                    + " approval(s) came in time; nothing was changed");
        } else if (e instanceof FreezeOverridden f) {
            return new EventSummary("EMERGENCY during a change freeze", ":rotating_light:", null, null,
                    "freeze: " + f.freeze());
        } else if (e instanceof RetireDeferred d) {
            return new EventSummary("Retirement deferred: previous version still in use", ":hourglass:",
                    "v" + d.version() + " previous", null, "share " + percent(d.share()) + ", retired at or below "
                    + percent(d.maxShare()) + ", at the latest " + d.retireBy());
        } else if (e instanceof RetireOverdue o) {
            String detail = "share " + percent(o.share()) + (RetireOverdue.MAX_GRACE.equals(o.cause())
                    ? "; max-grace is over, so it is retired anyway: clients still using it will fail"
                    : ", above the alert threshold " + percent(o.threshold())
                    + "; force it with POST /api/rotations/" + o.rotationId() + "/retire");
            return new EventSummary("Previous version still in use (" + o.cause() + ")", ":rotating_light:",
                    "v" + o.version() + (o.retiring() ? " retiring" : " previous"), null, detail);
        }
        throw new IllegalArgumentException("no summary for " + e.type());
    }

    /** A share (0 to 1) as a percentage; "unknown" when the probe gave none. */
    static String percent(Double share) {
        if (share == null) {
            return "unknown";
        }
        return java.math.BigDecimal.valueOf(share * 100).setScale(2, java.math.RoundingMode.HALF_UP)
                .stripTrailingZeros().toPlainString() + "%";
    }

    private static String span(Integer from, int to) {
        return from == null ? "v" + to : "v" + from + " → v" + to;
    }

    private static String failure(RotationFailed f) {
        List<String> steps = f.manualSteps();
        String error = f.error() == null ? "" : f.error();
        if (steps.isEmpty()) {
            return error.isEmpty() ? null : error;
        }
        StringBuilder out = new StringBuilder(error);
        for (int i = 0; i < steps.size(); i++) {
            out.append(out.isEmpty() ? "" : "\n").append(i + 1).append(". ").append(steps.get(i));
        }
        return out.toString();
    }
}

package dev.rotor.orchestrator.saga;

import static dev.rotor.contracts.messages.Direction.COMPENSATE;
import static dev.rotor.contracts.messages.Direction.FORWARD;

import dev.rotor.contracts.catalog.TargetSpec;
import dev.rotor.contracts.messages.Step;
import dev.rotor.contracts.redact.SafeUrl;
import java.util.ArrayList;
import java.util.List;

/**
 * What on-call must do by hand when a compensation failed: the remaining undo actions, in the order the engine would
 * have run them, each naming the versions, targets, roles or rows it concerns. References and numbers only; the drain
 * endpoint is named redacted, since its URL may carry credentials.
 */
final class ManualSteps {
    private ManualSteps() {
    }

    static List<String> after(Saga s, StepRun failed) {
        List<String> steps = new ArrayList<>();
        steps.add("Compensation of " + failed.step + " failed after " + failed.attempts + " attempt(s): " + failed.error
                + ". Finish the rollback by hand, in this order:");
        List<String> done = new ArrayList<>();
        int n = 1;
        for (int i = failed.index; i >= 0; i--) {
            PlanStep step = s.plan.at(i);
            boolean undone = s.run(step.step(), COMPENSATE).map(r -> r.status == StepStatus.COMPENSATED).orElse(false);
            if (undone) {
                done.add(step.step().name());
                continue;
            }
            if (!step.compensable() || s.run(step.step(), FORWARD).isEmpty()) {
                continue;
            }
            for (String action : actions(s, step.step())) {
                steps.add(n++ + ". " + action);
            }
        }
        if (!done.isEmpty()) {
            steps.add("Already compensated, nothing to do: " + String.join(", ", done) + ".");
        }
        return steps;
    }

    private static List<String> actions(Saga s, Step step) {
        String secret = s.secretId();
        String store = store(s);
        String from = version(s.fromVersion);
        String to = version(s.toVersion);
        List<String> out = new ArrayList<>();
        switch (step) {
            case STAGE_SECRET -> out.add("In store " + store + ", discard pending version " + to + " of " + secret + ".");
            case DRAIN_TRAFFIC -> out.add(s.drain == null || s.drain.url() == null ? "Check that the app serves traffic."
                    : "End maintenance mode: send the drain's leave call (maintenance off) to "
                    + SafeUrl.redact(s.drain.url()) + ".");
            case REENCRYPT -> out.add("Re-encrypt the rows of " + columns(s) + " from key version " + to
                    + " back to version " + from + rows(s) + ".");
            case UPDATE_SECRET -> {
                out.add("In store " + store + ", make version " + from + " of " + secret
                        + " current again and version " + to + " pending.");
                for (TargetSpec t : s.reachedTargets()) {
                    out.add("Set " + target(t) + " to version " + from + " and restart its consumers.");
                }
            }
            case APPLY_CREDENTIAL -> out.add("Set the password of role " + Milestones.role(s.baseSpec.credential())
                    + " (datasource " + (s.baseSpec.credential() == null ? "?" : s.baseSpec.credential().datasource())
                    + ") back to version " + from + " with ALTER ROLE, then check a login with it.");
            case RELOAD_CONSUMERS -> out.add("Reload the consumers of " + secret + " ("
                    + String.join("; ", s.reload.stream().map(r -> r.describe()).toList())
                    + ") once they hold version " + from + " again, and check that they serve.");
            default -> out.add("Undo " + step + " by hand.");
        }
        return out;
    }

    static Affected affected(Saga s) {
        List<String> targets = s.baseSpec.targets().stream().map(ManualSteps::target).toList();
        var re = s.baseSpec.reencrypt();
        List<String> columns = re == null || re.columns() == null ? List.of()
                : re.columns().stream().map(c -> c.table() + "." + c.column()).toList();
        ProgressMark p = s.progress != null && s.progress.step() == Step.REENCRYPT ? s.progress : null;
        return new Affected(s.secretId(), store(s), s.fromVersion, s.toVersion, targets,
                re == null ? null : re.datasource(), columns, p == null ? null : p.direction().name(),
                p == null ? null : p.done(), p == null ? null : p.total());
    }

    private static String columns(Saga s) {
        var re = s.baseSpec.reencrypt();
        if (re == null) {
            return "(no re-encryption configured)";
        }
        List<String> named = re.columns() == null ? List.of()
                : re.columns().stream().map(c -> c.table() + "." + c.column()).toList();
        return "datasource " + re.datasource() + " (" + String.join(", ", named) + ")";
    }

    private static String rows(Saga s) {
        ProgressMark p = s.progress;
        if (p == null || p.step() != Step.REENCRYPT) {
            return "";
        }
        return "; the last report (" + p.direction() + ") had " + p.done() + " of " + p.total() + " rows done";
    }

    private static String target(TargetSpec t) {
        return t.variable() != null ? t.variable() + " in " + t.path() : t.field() + " at " + t.path();
    }

    private static String store(Saga s) {
        return s.baseSpec.store().type() + ":" + s.baseSpec.store().path();
    }

    private static String version(Integer v) {
        return v == null ? "(none)" : String.valueOf(v);
    }
}

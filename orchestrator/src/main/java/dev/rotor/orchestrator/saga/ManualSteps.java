package dev.rotor.orchestrator.saga;

import dev.rotor.contracts.catalog.TargetSpec;
import java.util.ArrayList;
import java.util.List;

/** What on-call must do by hand when a compensation failed: references and version numbers only. */
final class ManualSteps {
    private ManualSteps() {
    }

    static List<String> after(Saga s, StepRun failed) {
        List<String> steps = new ArrayList<>();
        String store = s.baseSpec.store().type() + ":" + s.baseSpec.store().path();
        steps.add("Compensation of " + failed.step + " failed after " + failed.attempts + " attempt(s): " + failed.error);
        steps.add("In store " + store + ", make version " + version(s.fromVersion) + " of " + s.secretId()
                + " current again and discard pending version " + version(s.toVersion) + ".");
        for (TargetSpec t : s.baseSpec.targets()) {
            String where = t.variable() != null ? t.variable() + " in " + t.path() : t.field() + " at " + t.path();
            steps.add("Set " + where + " to version " + version(s.fromVersion) + " and restart its consumers.");
        }
        for (StepRun run : s.runs) {
            if (run.status == StepStatus.COMPENSATED) {
                steps.add(run.step + " was already compensated; nothing to do for it.");
            }
        }
        return steps;
    }

    private static String version(Integer v) {
        return v == null ? "(none)" : String.valueOf(v);
    }
}

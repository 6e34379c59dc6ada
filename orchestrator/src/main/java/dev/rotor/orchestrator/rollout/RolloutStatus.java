package dev.rotor.orchestrator.rollout;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.rotor.contracts.catalog.RolloutSpec;
import dev.rotor.contracts.json.RotorJson;
import dev.rotor.orchestrator.persistence.FrozenPlans;
import dev.rotor.orchestrator.persistence.RotationEntity;
import dev.rotor.orchestrator.saga.FrozenPlan;
import dev.rotor.orchestrator.saga.WaveProgress;
import java.util.List;

/**
 * Where a rolling cohort rollout stands, as the API, the dashboard and chat-ops show it: from the rotation's frozen
 * plan (the waves and gate it was accepted with) and its stored {@link WaveProgress}. The gate is named by its source
 * and query, or its url redacted.
 *
 * @param wave the current wave (1 to {@code waves.size()}); once the rotation ended, the last one it reached
 * @param waves the cumulative percentages of the targets, as accepted
 * @param reached how many of the entry's targets the waves up to the current one reach
 */
public record RolloutStatus(int wave, List<String> waves, int reached, int targets, String gate, String max,
        String holdFor) {

    /** The rollout of a rotation; null when it has none (or was accepted before plans were frozen). */
    public static RolloutStatus of(RotationEntity r) {
        if (r.frozenPlan == null) {
            return null;
        }
        FrozenPlan frozen = FrozenPlans.read(r.id, r.frozenPlan);
        RolloutSpec rollout = frozen.rollout();
        if (rollout == null) {
            return null;
        }
        int wave = progress(r.rollout).wave();
        int targets = frozen.spec().targets().size();
        RolloutSpec.Gate g = rollout.gate();
        return new RolloutStatus(wave, rollout.waves(), rollout.reach(targets).get(wave - 1), targets,
                g.describe(), bound(g), g.holdFor() == null ? RolloutSpec.Gate.DEFAULT_FOR : g.holdFor());
    }

    /** What passes: {@code 2%}, or for a gate relative to a baseline {@code 2x baseline} (with its floor). */
    static String bound(RolloutSpec.Gate g) {
        if (g.errorRate() == null) {
            return g.max();
        }
        String relative = g.errorRate().strip().replaceFirst("^<=\\s*", "");
        return g.max() == null ? relative : relative + " (or " + g.max() + ")";
    }

    /** "wave 2 of 3 (2 of 3 targets)": for chat and the dashboard. */
    public String summary() {
        return "wave " + wave + " of " + waves.size() + " (" + reached + " of " + targets + " targets)";
    }

    private static WaveProgress progress(String json) {
        if (json == null) {
            return WaveProgress.FIRST;
        }
        try {
            return RotorJson.mapper().readValue(json, WaveProgress.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable rollout progress (" + e.getClass().getSimpleName() + ")");
        }
    }
}

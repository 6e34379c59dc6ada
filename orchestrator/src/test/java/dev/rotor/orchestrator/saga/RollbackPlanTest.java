package dev.rotor.orchestrator.saga;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.contracts.catalog.Strategy;
import dev.rotor.contracts.messages.Step;
import org.junit.jupiter.api.Test;

/** Which steps the rollback of each plan runs (issue 14 §3), and that none of them is compensated. */
class RollbackPlanTest {
    private static String steps(Plan plan) {
        return String.join(",", plan.steps().stream().map(s -> s.step().name()).toList());
    }

    @Test
    void aRollbackRestoresTheRowsThenTheOldVersionThenReloadsAndUndoesNothing() {
        Plan offline = Plans.rollback(Plans.forRotation(Strategy.OFFLINE_REENCRYPT, false, true).orElseThrow())
                .orElseThrow();
        assertThat(offline.name()).isEqualTo("rollback");
        assertThat(steps(offline)).isEqualTo("REENCRYPT,UPDATE_SECRET,RELOAD_CONSUMERS");
        assertThat(offline.steps()).noneMatch(PlanStep::compensable).noneMatch(PlanStep::deferred);
        assertThat(offline.step(Step.REENCRYPT).orElseThrow().longRunning()).isTrue();

        assertThat(steps(Plans.rollback(Plans.ONLINE_REENCRYPT).orElseThrow())).isEqualTo("REENCRYPT,UPDATE_SECRET");
        assertThat(steps(Plans.rollback(Plans.DUAL_KEY).orElseThrow())).isEqualTo("UPDATE_SECRET");
    }

    @Test
    void aPlanThatKeptNoPreviousVersionOrARehearsalHasNothingToRollBack() {
        assertThat(Plans.rollback(Plans.IMMEDIATE)).isEmpty();
        assertThat(Plans.rollback(Plans.CREDENTIAL)).isEmpty();
        assertThat(Plans.rollback(Plans.OFFLINE_REENCRYPT.rehearsal().orElseThrow())).isEmpty();
    }
}

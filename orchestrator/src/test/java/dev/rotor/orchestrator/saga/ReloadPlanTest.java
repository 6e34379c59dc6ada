package dev.rotor.orchestrator.saga;

import static dev.rotor.contracts.messages.Direction.COMPENSATE;
import static dev.rotor.contracts.messages.Direction.FORWARD;
import static dev.rotor.contracts.messages.Step.RELOAD_CONSUMERS;
import static dev.rotor.contracts.messages.Step.UPDATE_SECRET;
import static dev.rotor.orchestrator.saga.SagaEngineTest.commands;
import static dev.rotor.orchestrator.saga.SagaEngineTest.events;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.contracts.catalog.Strategy;
import dev.rotor.contracts.messages.CompensationStarted;
import dev.rotor.contracts.messages.RotationCompleted;
import dev.rotor.contracts.messages.RotationRolledBack;
import dev.rotor.contracts.messages.Step;
import dev.rotor.contracts.messages.StepCompensated;
import dev.rotor.contracts.messages.StepFailed;
import dev.rotor.contracts.messages.StepRequested;
import dev.rotor.contracts.messages.StepSucceeded;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RELOAD_CONSUMERS in the plans and through the engine: where it goes, and that its undo follows the restore. */
class ReloadPlanTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private final SagaEngine engine = new SagaEngine(EngineSettings.NONE);

    private static List<Step> steps(Plan p) {
        return p.steps().stream().map(PlanStep::step).toList();
    }

    @Test
    void everyPlanReloadsRightAfterUpdateWhenTheEntryHasReloadersAndOnlyThen() {
        for (Strategy strategy : Strategy.values()) {
            Plan plain = Plans.forRotation(strategy, false).orElse(null);
            if (plain == null) {
                continue;
            }
            assertThat(Plans.forRotation(strategy, false, false)).contains(plain);
            List<Step> expected = new ArrayList<>(steps(plain));
            expected.add(expected.indexOf(UPDATE_SECRET) + 1, RELOAD_CONSUMERS);
            Plan reloading = Plans.forRotation(strategy, false, true).orElseThrow();
            assertThat(steps(reloading)).as(strategy.catalogName()).isEqualTo(expected);
            PlanStep reload = reloading.step(RELOAD_CONSUMERS).orElseThrow();
            assertThat(reload.local()).isTrue();
            assertThat(reload.compensable()).isTrue();
            assertThat(reload.undoneAfterPrevious()).isTrue();
            assertThat(reload.retry().timeout()).isEqualTo(Duration.ofMinutes(15));
            // A rehearsal writes no target, so it reloads nothing.
            Plans.forRotation(strategy, true, true).ifPresent(r -> assertThat(steps(r)).doesNotContain(
                    RELOAD_CONSUMERS));
        }
        assertThat(steps(Plans.forRotation(Strategy.OFFLINE_REENCRYPT, false, true).orElseThrow())).containsExactly(
                Step.STAGE_SECRET, Step.DRAIN_TRAFFIC, Step.REENCRYPT, UPDATE_SECRET, RELOAD_CONSUMERS,
                Step.RESTORE_TRAFFIC, Step.RETIRE_PREVIOUS);
    }

    @Test
    void theCompensationOrderPutsTheReloadAfterTheRestore() {
        Plan offline = Plans.forRotation(Strategy.OFFLINE_REENCRYPT, false, true).orElseThrow();
        // STAGE 0, DRAIN 1, REENCRYPT 2, UPDATE 3, RELOAD 4, RESTORE 5
        assertThat(offline.compensationOrder()).containsExactly(5, 3, 4, 2, 1, 0);
        assertThat(Plans.OFFLINE_REENCRYPT.compensationOrder()).containsExactly(4, 3, 2, 1, 0);
    }

    @Test
    void aReloadThatFailsIsUndoneAfterTheOldValueIsBackThenTheStagedVersionIsDiscarded() {
        Saga s = SagaEngineTest.saga(Plans.forRotation(Strategy.DUAL_KEY, false, true).orElseThrow());
        engine.accept(s, T0);
        StepRequested stage = commands(engine.begin(s, T0)).get(0);
        StepRequested update = commands(engine.onReply(s, stage.succeeded(1, 2, null), T0)).get(0);
        List<Effect> afterUpdate = engine.onReply(s, update.succeeded(1, 2, null), T0);
        Effect.Schedule reload = runLocal(afterUpdate);
        assertThat(reload.step()).isEqualTo(RELOAD_CONSUMERS);
        assertThat(reload.direction()).isEqualTo(FORWARD);

        List<Effect> failed = engine.onReply(s, new StepFailed(s.id, RELOAD_CONSUMERS, 1, FORWARD, false,
                "rollout of Deployment shop/api did not complete within 2s", T0), T0);
        assertThat(events(failed)).containsExactly(CompensationStarted.class);
        StepRequested undoUpdate = commands(failed).get(0);
        assertThat(undoUpdate.step()).isEqualTo(UPDATE_SECRET);
        assertThat(undoUpdate.direction()).isEqualTo(COMPENSATE);
        assertThat(runLocals(failed)).as("no reload before the restore").isEmpty();

        List<Effect> restored = engine.onReply(s, undoUpdate.compensated("labels restored"), T0);
        Effect.Schedule reloadAgain = runLocal(restored);
        assertThat(reloadAgain.step()).isEqualTo(RELOAD_CONSUMERS);
        assertThat(reloadAgain.direction()).isEqualTo(COMPENSATE);
        assertThat(commands(restored)).isEmpty();

        List<Effect> reloaded = engine.onReply(s, new StepCompensated(s.id, RELOAD_CONSUMERS, 1,
                "reload hook answered 200", T0), T0);
        StepRequested undoStage = commands(reloaded).get(0);
        assertThat(undoStage.step()).isEqualTo(Step.STAGE_SECRET);
        assertThat(events(engine.onReply(s, undoStage.compensated("discarded"), T0)))
                .containsExactly(RotationRolledBack.class);
        assertThat(s.state).isEqualTo(RotationState.ROLLED_BACK);
    }

    @Test
    void anUpdateThatFailsNeverReloads() {
        Saga s = SagaEngineTest.saga(Plans.forRotation(Strategy.DUAL_KEY, false, true).orElseThrow());
        engine.accept(s, T0);
        StepRequested stage = commands(engine.begin(s, T0)).get(0);
        StepRequested update = commands(engine.onReply(s, stage.succeeded(1, 2, null), T0)).get(0);
        StepRequested undoUpdate = commands(engine.onReply(s, update.failed(false, "read-only"), T0)).get(0);
        assertThat(undoUpdate.step()).isEqualTo(UPDATE_SECRET);
        List<Effect> restored = engine.onReply(s, undoUpdate.compensated("restored"), T0);
        assertThat(runLocals(restored)).as("RELOAD_CONSUMERS never ran forward: nothing to reload").isEmpty();
        assertThat(commands(restored).get(0).step()).isEqualTo(Step.STAGE_SECRET);
    }

    @Test
    void theRotationCompletesOnlyOnceTheConsumersReloaded() {
        Saga s = SagaEngineTest.saga(Plans.forRotation(Strategy.DUAL_KEY, false, true).orElseThrow());
        engine.accept(s, T0);
        StepRequested stage = commands(engine.begin(s, T0)).get(0);
        StepRequested update = commands(engine.onReply(s, stage.succeeded(1, 2, null), T0)).get(0);
        List<Effect> afterUpdate = engine.onReply(s, update.succeeded(1, 2, null), T0);
        assertThat(events(afterUpdate)).doesNotContain(RotationCompleted.class);
        Effect.Schedule reload = runLocal(afterUpdate);
        List<Effect> done = engine.onReply(s, new StepSucceeded(s.id, RELOAD_CONSUMERS, 1, FORWARD, 1, 2,
                "reload hook answered 200", T0), T0);
        assertThat(events(done)).containsExactly(RotationCompleted.class);
        assertThat(reload.attempt()).isEqualTo(1);
    }

    private static Effect.Schedule runLocal(List<Effect> effects) {
        List<Effect.Schedule> l = runLocals(effects);
        assertThat(l).hasSize(1);
        return l.get(0);
    }

    private static List<Effect.Schedule> runLocals(List<Effect> effects) {
        return effects.stream().filter(Effect.Schedule.class::isInstance).map(Effect.Schedule.class::cast)
                .filter(t -> t.kind() == TimerKind.RUN_LOCAL).toList();
    }
}

package dev.rotor.orchestrator.saga;

import static dev.rotor.contracts.messages.Direction.COMPENSATE;
import static dev.rotor.contracts.messages.Direction.FORWARD;
import static dev.rotor.contracts.messages.Step.RELOAD_CONSUMERS;
import static dev.rotor.contracts.messages.Step.STAGE_SECRET;
import static dev.rotor.contracts.messages.Step.UPDATE_SECRET;
import static dev.rotor.contracts.messages.Step.WAVE_GATE;
import static dev.rotor.orchestrator.saga.SagaEngineTest.commands;
import static dev.rotor.orchestrator.saga.SagaEngineTest.events;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.contracts.catalog.GeneratorSpec;
import dev.rotor.contracts.catalog.RolloutSpec;
import dev.rotor.contracts.catalog.SecretKind;
import dev.rotor.contracts.catalog.StoreRef;
import dev.rotor.contracts.catalog.Strategy;
import dev.rotor.contracts.catalog.TargetSpec;
import dev.rotor.contracts.messages.CompensationStarted;
import dev.rotor.contracts.messages.RotationCompleted;
import dev.rotor.contracts.messages.RotationRolledBack;
import dev.rotor.contracts.messages.SecretUpdated;
import dev.rotor.contracts.messages.StepFailed;
import dev.rotor.contracts.messages.StepRequested;
import dev.rotor.contracts.messages.StepSpec;
import dev.rotor.contracts.messages.StepSucceeded;
import dev.rotor.contracts.messages.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A rollout through the engine: each wave's UPDATE_SECRET names the targets reached so far, the gate follows each
 * wave, attempts go on counting across waves, and a failed gate undoes every wave done with one restore.
 */
class RolloutPlanTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final RolloutSpec ROLLOUT = new RolloutSpec(List.of("33%", "100%"),
            new RolloutSpec.Gate("http", null, "http://gate/{wave}", null, "2%", "1m", null));
    private final SagaEngine engine = new SagaEngine(EngineSettings.NONE);

    private static Saga saga(boolean reloads) {
        Plan plan = Plans.forRotation(Strategy.DUAL_KEY, false, reloads, ROLLOUT).orElseThrow();
        List<TargetSpec> targets = List.of(new TargetSpec("env-file", "/srv/a/.env", "K", null, null),
                new TargetSpec("env-file", "/srv/b/.env", "K", null, null),
                new TargetSpec("env-file", "/srv/c/.env", "K", null, null));
        StepSpec spec = new StepSpec("app-key", SecretKind.SIGNING_KEY, Strategy.DUAL_KEY,
                new GeneratorSpec("base64", 32, null, null), new StoreRef("local", "app/key", null), targets, null,
                null, null, null, false, false);
        Saga s = new Saga(UUID.randomUUID(), Trigger.MANUAL, "test", new FrozenPlan(plan, spec, Duration.ofHours(1),
                null, null, List.of(), null, ROLLOUT));
        return s;
    }

    private static List<String> paths(StepRequested c) {
        return c.spec().targets().stream().map(TargetSpec::path).toList();
    }

    private static Effect.Schedule runLocal(List<Effect> effects) {
        return effects.stream().filter(Effect.Schedule.class::isInstance).map(Effect.Schedule.class::cast)
                .filter(t -> t.kind() == TimerKind.RUN_LOCAL).findFirst().orElseThrow();
    }

    private static StepSucceeded passed(Saga s, Effect.Schedule local) {
        return new StepSucceeded(s.id, local.step(), local.attempt(), FORWARD, 1, 2, "held", T0);
    }

    @Test
    void theGateFollowsTheReloadOrTheUpdate() {
        assertThat(Plans.forRotation(Strategy.DUAL_KEY, false, true, ROLLOUT).orElseThrow().steps())
                .extracting(PlanStep::step).containsExactly(STAGE_SECRET, UPDATE_SECRET, RELOAD_CONSUMERS,
                        WAVE_GATE, dev.rotor.contracts.messages.Step.RETIRE_PREVIOUS);
        PlanStep gate = Plans.forRotation(Strategy.DUAL_KEY, false, false, ROLLOUT).orElseThrow().sequence().get(2);
        assertThat(gate.step()).isEqualTo(WAVE_GATE);
        assertThat(gate.local()).isTrue();
        assertThat(gate.compensable()).isFalse();
        assertThat(gate.longRunning()).as("bounded by the long step timeout when configured").isTrue();
        assertThat(gate.retry().timeout()).isEqualTo(Duration.ofMinutes(12)); // for 1m + 10m, plus a minute
        assertThat(Plans.forRotation(Strategy.DUAL_KEY, false, false, null)).contains(Plans.DUAL_KEY);
    }

    @Test
    void twoWavesEachHeldByTheGateThenCompleted() {
        Saga s = saga(true);
        engine.accept(s, T0);
        StepRequested stage = commands(engine.begin(s, T0)).get(0);
        assertThat(paths(stage)).as("STAGE_SECRET adopts from the first target of all").hasSize(3);
        StepRequested update1 = commands(engine.onReply(s, stage.succeeded(1, 2, null), T0)).get(0);
        assertThat(paths(update1)).containsExactly("/srv/a/.env");
        List<Effect> afterUpdate1 = engine.onReply(s, update1.succeeded(1, 2, null), T0);
        assertThat(events(afterUpdate1)).containsExactly(SecretUpdated.class);
        Effect.Schedule reload1 = runLocal(afterUpdate1);
        Effect.Schedule gate1 = runLocal(engine.onReply(s, passed(s, reload1), T0));
        assertThat(gate1.step()).isEqualTo(WAVE_GATE);

        List<Effect> wave2 = engine.onReply(s, passed(s, gate1), T0);
        assertThat(s.wave()).isEqualTo(2);
        StepRequested update2 = commands(wave2).get(0);
        assertThat(update2.step()).isEqualTo(UPDATE_SECRET);
        assertThat(update2.attempt()).as("attempts go on counting").isEqualTo(2);
        assertThat(paths(update2)).containsExactly("/srv/a/.env", "/srv/b/.env", "/srv/c/.env");
        List<Effect> afterUpdate2 = engine.onReply(s, update2.succeeded(1, 2, null), T0);
        assertThat(events(afterUpdate2)).as("secret-updated once, in the first wave").isEmpty();
        Effect.Schedule reload2 = runLocal(afterUpdate2);
        assertThat(reload2.attempt()).isEqualTo(2);
        Effect.Schedule gate2 = runLocal(engine.onReply(s, passed(s, reload2), T0));
        assertThat(gate2.attempt()).isEqualTo(2);
        assertThat(events(engine.onReply(s, passed(s, gate2), T0))).containsExactly(RotationCompleted.class);
        assertThat(s.state).isEqualTo(RotationState.COMPLETED);
    }

    @Test
    void aGateFailingOnTheSecondWaveUndoesBothWavesWithOneRestoreOfTheTargetsReached() {
        Saga s = saga(false);
        engine.accept(s, T0);
        StepRequested stage = commands(engine.begin(s, T0)).get(0);
        StepRequested update1 = commands(engine.onReply(s, stage.succeeded(1, 2, null), T0)).get(0);
        Effect.Schedule gate1 = runLocal(engine.onReply(s, update1.succeeded(1, 2, null), T0));
        StepRequested update2 = commands(engine.onReply(s, passed(s, gate1), T0)).get(0);
        // A transient failure of the second wave's write is retried as that wave's own second attempt.
        List<Effect> retry = engine.onReply(s, update2.failed(true, "busy"), T0);
        assertThat(events(retry)).isEmpty();
        Effect.Schedule retryTimer = retry.stream().filter(Effect.Schedule.class::isInstance)
                .map(Effect.Schedule.class::cast).filter(t -> t.kind() == TimerKind.RETRY).findFirst().orElseThrow();
        assertThat(retryTimer.attempt()).isEqualTo(3);
        StepRequested update2b = commands(engine.onRetryDue(s, UPDATE_SECRET, FORWARD, 3, T0)).get(0);
        Effect.Schedule gate2 = runLocal(engine.onReply(s, update2b.succeeded(1, 2, null), T0));

        List<Effect> failed = engine.onReply(s, new StepFailed(s.id, WAVE_GATE, gate2.attempt(), FORWARD, false,
                "wave 2 of 2: gate GET http://gate/2 failed: answered 0.5, above max 2%", T0), T0);
        assertThat(events(failed)).containsExactly(CompensationStarted.class);
        StepRequested undo = commands(failed).get(0);
        assertThat(undo.step()).isEqualTo(UPDATE_SECRET);
        assertThat(undo.direction()).isEqualTo(COMPENSATE);
        assertThat(paths(undo)).containsExactly("/srv/a/.env", "/srv/b/.env", "/srv/c/.env");
        StepRequested discard = commands(engine.onReply(s, undo.compensated("restored"), T0)).get(0);
        assertThat(discard.step()).isEqualTo(STAGE_SECRET);
        assertThat(events(engine.onReply(s, discard.compensated("discarded"), T0)))
                .containsExactly(RotationRolledBack.class);
        assertThat(s.error).isEqualTo("wave 2 of 2: gate GET http://gate/2 failed: answered 0.5, above max 2%");
        assertThat(s.failedStep).isEqualTo(WAVE_GATE);
    }
}

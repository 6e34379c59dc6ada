package dev.rotor.orchestrator.saga;

import static dev.rotor.contracts.messages.Direction.COMPENSATE;
import static dev.rotor.contracts.messages.Direction.FORWARD;
import static dev.rotor.contracts.messages.Step.DRAIN_TRAFFIC;
import static dev.rotor.contracts.messages.Step.REENCRYPT;
import static dev.rotor.contracts.messages.Step.RESTORE_TRAFFIC;
import static dev.rotor.contracts.messages.Step.RETIRE_PREVIOUS;
import static dev.rotor.contracts.messages.Step.STAGE_SECRET;
import static dev.rotor.contracts.messages.Step.UPDATE_SECRET;
import static dev.rotor.orchestrator.saga.SagaEngineTest.commands;
import static dev.rotor.orchestrator.saga.SagaEngineTest.events;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.contracts.messages.CompensationStarted;
import dev.rotor.contracts.messages.Reencrypted;
import dev.rotor.contracts.messages.RotationCompleted;
import dev.rotor.contracts.messages.RotationFailed;
import dev.rotor.contracts.messages.RotationRolledBack;
import dev.rotor.contracts.messages.SecretUpdated;
import dev.rotor.contracts.messages.StepCompensated;
import dev.rotor.contracts.messages.StepFailed;
import dev.rotor.contracts.messages.StepRequested;
import dev.rotor.contracts.messages.StepSucceeded;
import dev.rotor.contracts.messages.TrafficDrained;
import dev.rotor.contracts.messages.TrafficRestored;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The plans of issues 3–5 through the engine alone: local steps, heartbeats, abort, dry run, failures. */
class PlansEngineTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    /** Nothing configured: each step runs by its plan's retry policy, REENCRYPT by the built-in 2 h timeout. */
    private final SagaEngine engine = new SagaEngine(EngineSettings.NONE);

    private static List<Effect.Schedule> timers(List<Effect> effects, TimerKind kind) {
        return effects.stream().filter(Effect.Schedule.class::isInstance).map(Effect.Schedule.class::cast)
                .filter(t -> t.kind() == kind).toList();
    }

    /** What the LocalStepRunner would record for a local step's attempt. */
    private static StepSucceeded localOk(Saga s, Effect.Schedule t) {
        return new StepSucceeded(s.id, t.step(), t.attempt(), t.direction(), s.fromVersion, s.toVersion, "200", T0);
    }

    private static StepCompensated localUndone(Saga s, Effect.Schedule t) {
        return new StepCompensated(s.id, t.step(), t.attempt(), "200", T0);
    }

    private Saga offlineUpToUpdate() {
        Saga s = SagaEngineTest.saga(Plans.OFFLINE_REENCRYPT);
        engine.accept(s, T0);
        StepRequested stage = commands(engine.begin(s, T0)).get(0);
        List<Effect> afterStage = engine.onReply(s, stage.succeeded(1, 2, null), T0);
        assertThat(commands(afterStage)).as("drain is local: no command").isEmpty();
        Effect.Schedule drain = timers(afterStage, TimerKind.RUN_LOCAL).get(0);
        assertThat(drain.step()).isEqualTo(DRAIN_TRAFFIC);
        assertThat(drain.direction()).isEqualTo(FORWARD);
        List<Effect> afterDrain = engine.onReply(s, localOk(s, drain), T0);
        assertThat(events(afterDrain)).containsExactly(TrafficDrained.class);
        StepRequested reencrypt = commands(afterDrain).get(0);
        assertThat(reencrypt.step()).isEqualTo(REENCRYPT);
        assertThat(timers(afterDrain, TimerKind.STEP_TIMEOUT).get(0).due()).isEqualTo(T0.plus(Duration.ofHours(2)));
        List<Effect> afterReencrypt = engine.onReply(s, reencrypt.succeeded(1, 2, "re-encrypted 1,234 rows"), T0);
        assertThat(events(afterReencrypt)).containsExactly(Reencrypted.class);
        assertThat(((Reencrypted) ((Effect.Publish) afterReencrypt.get(0)).event()).rows()).isEqualTo(1234);
        return s;
    }

    @Test
    void offlineReencryptRestoresTrafficLocallyThenCompletesAndRetiresAfterGrace() {
        Saga s = offlineUpToUpdate();
        StepRequested pending = new StepRequested(s.id, UPDATE_SECRET, 1, FORWARD, SagaEngine.spec(s,
                Plans.OFFLINE_REENCRYPT.at(3)), T0);
        assertThat(pending.spec().keepPrevious()).isTrue();
        List<Effect> afterUpdate = engine.onReply(s, pending.succeeded(1, 2, null), T0);
        assertThat(events(afterUpdate)).containsExactly(SecretUpdated.class);
        Effect.Schedule restore = timers(afterUpdate, TimerKind.RUN_LOCAL).get(0);
        assertThat(restore.step()).isEqualTo(RESTORE_TRAFFIC);
        List<Effect> done = engine.onReply(s, localOk(s, restore), T0);
        assertThat(events(done)).containsExactly(TrafficRestored.class, RotationCompleted.class);
        assertThat(timers(done, TimerKind.RETIRE)).singleElement().satisfies(t -> assertThat(t.version()).isEqualTo(1));
        assertThat(commands(engine.onRetireDue(s, T0))).singleElement()
                .satisfies(c -> assertThat(c.step()).isEqualTo(RETIRE_PREVIOUS));
    }

    @Test
    void aFailedUpdateUndoesUpdateReencryptDrainAndStageInThatOrder() {
        Saga s = offlineUpToUpdate();
        StepRequested update = new StepRequested(s.id, UPDATE_SECRET, 1, FORWARD, SagaEngine.spec(s,
                Plans.OFFLINE_REENCRYPT.at(3)), T0);
        List<Effect> failed = engine.onReply(s, update.failed(false, "read-only"), T0);
        assertThat(events(failed)).containsExactly(CompensationStarted.class);
        StepRequested undoUpdate = commands(failed).get(0);
        assertThat(undoUpdate.step() + "/" + undoUpdate.direction()).isEqualTo("UPDATE_SECRET/COMPENSATE");
        StepRequested undoReencrypt = commands(engine.onReply(s, undoUpdate.compensated(null), T0)).get(0);
        assertThat(undoReencrypt.step() + "/" + undoReencrypt.direction()).isEqualTo("REENCRYPT/COMPENSATE");
        List<Effect> afterRows = engine.onReply(s, undoReencrypt.compensated(null), T0);
        assertThat(commands(afterRows)).isEmpty();
        Effect.Schedule leave = timers(afterRows, TimerKind.RUN_LOCAL).get(0);
        assertThat(leave.step() + "/" + leave.direction()).isEqualTo("DRAIN_TRAFFIC/COMPENSATE");
        StepRequested undoStage = commands(engine.onReply(s, localUndone(s, leave), T0)).get(0);
        assertThat(undoStage.step() + "/" + undoStage.direction()).isEqualTo("STAGE_SECRET/COMPENSATE");
        assertThat(events(engine.onReply(s, undoStage.compensated(null), T0)))
                .containsExactly(RotationRolledBack.class);
        assertThat(s.state).isEqualTo(RotationState.ROLLED_BACK);
        assertThat(s.run(RESTORE_TRAFFIC, COMPENSATE)).as("nothing to undo, never dispatched").isEmpty();
    }

    @Test
    void aFailedRestoreIsPassedOverOnTheWayBack() {
        Saga s = offlineUpToUpdate();
        StepRequested update = new StepRequested(s.id, UPDATE_SECRET, 1, FORWARD, SagaEngine.spec(s,
                Plans.OFFLINE_REENCRYPT.at(3)), T0);
        Effect.Schedule restore = timers(engine.onReply(s, update.succeeded(1, 2, null), T0), TimerKind.RUN_LOCAL)
                .get(0);
        List<Effect> out = engine.onReply(s, new StepFailed(s.id, RESTORE_TRAFFIC, 1, FORWARD, false, "404", T0),
                T0);
        assertThat(commands(out)).singleElement()
                .satisfies(c -> assertThat(c.step() + "/" + c.direction()).isEqualTo("UPDATE_SECRET/COMPENSATE"));
        assertThat(restore.attempt()).isEqualTo(1);
    }

    @Test
    void progressOfTheCurrentAttemptPushesItsTimeoutBack() {
        Saga s = SagaEngineTest.saga(Plans.ONLINE_REENCRYPT);
        engine.accept(s, T0);
        StepRequested stage = commands(engine.begin(s, T0)).get(0);
        StepRequested update = commands(engine.onReply(s, stage.succeeded(1, 2, null), T0)).get(0);
        StepRequested reencrypt = commands(engine.onReply(s, update.succeeded(1, 2, null), T0)).get(0);
        Instant later = T0.plus(Duration.ofMinutes(110));
        assertThat(engine.onProgress(s, reencrypt.progress(500, 1000, 10.0, 50L), later)).isTrue();
        assertThat(engine.onProgress(s, new StepRequested(s.id, REENCRYPT, 2, FORWARD, reencrypt.spec(), T0)
                .progress(1, 1, 1, 0L), later)).as("another attempt").isFalse();
        assertThat(s.progress.done()).isEqualTo(500);

        List<Effect> atNominal = engine.onTimeout(s, REENCRYPT, FORWARD, 1, T0.plus(Duration.ofHours(2)));
        assertThat(commands(atNominal)).isEmpty();
        assertThat(timers(atNominal, TimerKind.STEP_TIMEOUT)).singleElement()
                .satisfies(t -> assertThat(t.due()).isEqualTo(later.plus(Duration.ofHours(2))));
        assertThat(s.run(REENCRYPT, FORWARD).orElseThrow().status).isEqualTo(StepStatus.RUNNING);

        List<Effect> silent = engine.onTimeout(s, REENCRYPT, FORWARD, 1, later.plus(Duration.ofHours(2)));
        assertThat(timers(silent, TimerKind.RETRY)).hasSize(1);
        assertThat(s.run(REENCRYPT, FORWARD).orElseThrow().status).isEqualTo(StepStatus.RETRY_WAIT);
    }

    @Test
    void abortBeforeTheStartRollsBackAtOnceAndWhileRunningCompensatesTheCurrentStep() {
        Saga waiting = SagaEngineTest.saga(Plans.DUAL_KEY);
        engine.accept(waiting, T0);
        assertThat(events(engine.abort(waiting, T0))).containsExactly(RotationRolledBack.class);
        assertThat(commands(engine.begin(waiting, T0))).isEmpty();

        Saga s = SagaEngineTest.saga(Plans.DUAL_KEY);
        engine.accept(s, T0);
        StepRequested stage = commands(engine.begin(s, T0)).get(0);
        List<Effect> out = engine.abort(s, T0);
        assertThat(s.state).isEqualTo(RotationState.COMPENSATING);
        assertThat(commands(out)).singleElement().satisfies(c -> {
            assertThat(c.step()).isEqualTo(STAGE_SECRET);
            assertThat(c.direction()).isEqualTo(COMPENSATE);
        });
        assertThat(engine.onReply(s, stage.succeeded(1, 2, null), T0)).as("late reply").isEmpty();
        assertThat(engine.abort(s, T0)).as("second abort").isEmpty();
        engine.onReply(s, commands(out).get(0).compensated(null), T0);
        assertThat(s.state).isEqualTo(RotationState.ROLLED_BACK);
        assertThat(s.failedStep).isEqualTo(STAGE_SECRET);
    }

    @Test
    void aDryRunStagesRehearsesDiscardsAndCompletesSilently() {
        Plan rehearsal = Plans.OFFLINE_REENCRYPT.rehearsal().orElseThrow();
        assertThat(Plans.DUAL_KEY.rehearsal()).isEmpty();
        Saga s = SagaEngineTest.saga(rehearsal);
        assertThat(events(engine.accept(s, T0))).isEmpty();
        StepRequested stage = commands(engine.begin(s, T0)).get(0);
        StepRequested rehearse = commands(engine.onReply(s, stage.succeeded(1, 2, null), T0)).get(0);
        assertThat(rehearse.step()).isEqualTo(REENCRYPT);
        List<Effect> out = engine.onReply(s, rehearse.succeeded(1, 2, "would re-encrypt 9 rows"), T0);
        assertThat(events(out)).isEmpty();
        StepRequested discard = commands(out).get(0);
        assertThat(discard.step() + "/" + discard.direction()).isEqualTo("STAGE_SECRET/COMPENSATE");
        assertThat(engine.onReply(s, discard.compensated(null), T0)).isEmpty();
        assertThat(s.state).isEqualTo(RotationState.COMPLETED);
        assertThat(s.result).isEqualTo("would re-encrypt 9 rows");
    }

    @Test
    void aFailedCompensationNamesTheRemainingManualStepsAndTheAffectedRows() {
        Saga s = offlineUpToUpdate();
        s.progress = new ProgressMark(REENCRYPT, FORWARD, 1, 1234, 1234, 100, 0L, T0);
        StepRequested update = new StepRequested(s.id, UPDATE_SECRET, 1, FORWARD, SagaEngine.spec(s,
                Plans.OFFLINE_REENCRYPT.at(3)), T0);
        StepRequested undoUpdate = commands(engine.onReply(s, update.failed(false, "read-only"), T0)).get(0);
        List<Effect> out = engine.onReply(s, undoUpdate.failed(false, "store unreachable"), T0);
        assertThat(s.state).isEqualTo(RotationState.FAILED);
        RotationFailed failed = (RotationFailed) ((Effect.Publish) out.get(0)).event();
        List<String> steps = failed.manualSteps();
        assertThat(steps.get(1)).startsWith("1. In store local:app/jwt, make version 1");
        assertThat(steps).anySatisfy(m -> assertThat(m).contains("Re-encrypt the rows").contains("version 2 back to"
                + " version 1").contains("1234 of 1234 rows"));
        assertThat(steps).anySatisfy(m -> assertThat(m).contains("discard pending version 2"));
        assertThat(s.affected.fromVersion()).isEqualTo(1);
        assertThat(s.affected.toVersion()).isEqualTo(2);
        assertThat(s.affected.rowsDone()).isEqualTo(1234);
    }

    @Test
    void aRetirementThatFailsForGoodKeepsTheRotationCompleted() {
        Saga s = SagaEngineTest.saga(Plans.DUAL_KEY);
        engine.accept(s, T0);
        StepRequested stage = commands(engine.begin(s, T0)).get(0);
        StepRequested update = commands(engine.onReply(s, stage.succeeded(1, 2, null), T0)).get(0);
        engine.onReply(s, update.succeeded(1, 2, null), T0);
        StepRequested retire = commands(engine.onRetireDue(s, T0)).get(0);
        assertThat(engine.onReply(s, retire.failed(false, "locked"), T0)).isEmpty();
        assertThat(s.state).isEqualTo(RotationState.COMPLETED);
        assertThat(s.error).isNull();
        assertThat(s.retirementError).contains("RETIRE_PREVIOUS of version 1").contains("locked");
    }

    @Test
    void everyStrategyHasAPlan() {
        for (var strategy : dev.rotor.contracts.catalog.Strategy.values()) {
            assertThat(Plans.forStrategy(strategy)).as(strategy.catalogName()).isPresent();
        }
        assertThat(Plans.CREDENTIAL.step(UPDATE_SECRET).orElseThrow().keepPrevious()).isFalse();
        assertThat(Plans.CREDENTIAL.deferred()).isEmpty();
        assertThat(Plans.ALTERNATING_USERS.deferred().map(PlanStep::step)).contains(RETIRE_PREVIOUS);
        assertThat(Plans.OFFLINE_REENCRYPT.sequence().stream().map(PlanStep::step).toList()).containsExactly(
                STAGE_SECRET, DRAIN_TRAFFIC, REENCRYPT, UPDATE_SECRET, RESTORE_TRAFFIC);
        assertThat(Plans.OFFLINE_REENCRYPT.sequence().stream().filter(PlanStep::local).map(PlanStep::step)
                .toList()).containsExactly(DRAIN_TRAFFIC, RESTORE_TRAFFIC);
    }
}

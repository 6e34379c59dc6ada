package dev.rotor.orchestrator.saga;

import static dev.rotor.contracts.messages.Direction.COMPENSATE;
import static dev.rotor.contracts.messages.Direction.FORWARD;
import static dev.rotor.contracts.messages.Step.RETIRE_PREVIOUS;
import static dev.rotor.contracts.messages.Step.STAGE_SECRET;
import static dev.rotor.contracts.messages.Step.UPDATE_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.contracts.catalog.GeneratorSpec;
import dev.rotor.contracts.catalog.SecretKind;
import dev.rotor.contracts.catalog.StoreRef;
import dev.rotor.contracts.catalog.Strategy;
import dev.rotor.contracts.catalog.TargetSpec;
import dev.rotor.contracts.messages.CompensationStarted;
import dev.rotor.contracts.messages.PreviousRetired;
import dev.rotor.contracts.messages.RotationCompleted;
import dev.rotor.contracts.messages.RotationFailed;
import dev.rotor.contracts.messages.RotationRequested;
import dev.rotor.contracts.messages.RotationRolledBack;
import dev.rotor.contracts.messages.SecretStaged;
import dev.rotor.contracts.messages.SecretUpdated;
import dev.rotor.contracts.messages.StepRequested;
import dev.rotor.contracts.messages.StepSpec;
import dev.rotor.contracts.messages.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The engine with no broker and no database: given a plan, expect commands; answer; expect the outcome. */
class SagaEngineTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    /** Configured values for every step, and the jitter fixed at 1 (the whole exponential wait). */
    private final SagaEngine engine = new SagaEngine(new EngineSettings(Duration.ofSeconds(60), 3,
            Duration.ofSeconds(2)), () -> 1.0);

    static Saga saga(Plan plan) {
        StepSpec spec = new StepSpec("jwt-secret", SecretKind.SIGNING_KEY, Strategy.DUAL_KEY,
                new GeneratorSpec("base64", 32, null, null), new StoreRef("local", "app/jwt", null),
                List.of(new TargetSpec("env-file", "/srv/.env", "JWT", "JWT_PREV", null)), null, null, null, null,
                false, false);
        return new Saga(UUID.randomUUID(), Trigger.MANUAL, "test", plan, spec, Duration.ofHours(48));
    }

    static List<StepRequested> commands(List<Effect> effects) {
        return effects.stream().filter(Effect.Send.class::isInstance).map(e -> ((Effect.Send) e).command()).toList();
    }

    static List<Class<?>> events(List<Effect> effects) {
        return effects.stream().filter(Effect.Publish.class::isInstance)
                .<Class<?>>map(e -> ((Effect.Publish) e).event().getClass()).toList();
    }

    @Test
    void dualKeyRunsStageThenUpdateThenRetiresAfterGrace() {
        Saga s = saga(Plans.DUAL_KEY);
        assertThat(events(engine.accept(s, T0))).containsExactly(RotationRequested.class);
        List<StepRequested> stage = commands(engine.begin(s, T0));
        assertThat(stage).singleElement().satisfies(c -> {
            assertThat(c.step()).isEqualTo(STAGE_SECRET);
            assertThat(c.direction()).isEqualTo(FORWARD);
            assertThat(c.attempt()).isEqualTo(1);
        });
        assertThat(s.state).isEqualTo(RotationState.RUNNING);

        List<Effect> afterStage = engine.onReply(s, stage.get(0).succeeded(3, 4, "staged"), T0);
        assertThat(events(afterStage)).containsExactly(SecretStaged.class);
        StepRequested update = commands(afterStage).get(0);
        assertThat(update.step()).isEqualTo(UPDATE_SECRET);
        assertThat(update.spec().keepPrevious()).isTrue();
        assertThat(update.spec().fromVersion()).isEqualTo(3);
        assertThat(update.spec().toVersion()).isEqualTo(4);

        List<Effect> afterUpdate = engine.onReply(s, update.succeeded(3, 4, "updated"), T0);
        assertThat(events(afterUpdate)).containsExactly(SecretUpdated.class, RotationCompleted.class);
        assertThat(commands(afterUpdate)).isEmpty();
        assertThat(s.state).isEqualTo(RotationState.COMPLETED);
        assertThat(afterUpdate).filteredOn(Effect.Schedule.class::isInstance).map(e -> (Effect.Schedule) e)
                .singleElement().satisfies(t -> {
                    assertThat(t.kind()).isEqualTo(TimerKind.RETIRE);
                    assertThat(t.due()).isEqualTo(T0.plus(Duration.ofHours(48)));
                    assertThat(t.version()).isEqualTo(3);
                });

        StepRequested retire = commands(engine.onRetireDue(s, T0)).get(0);
        assertThat(retire.step()).isEqualTo(RETIRE_PREVIOUS);
        assertThat(retire.spec().fromVersion()).isEqualTo(3);
        assertThat(commands(engine.onRetireDue(s, T0))).as("a second firing sends nothing").isEmpty();
        List<Effect> retired = engine.onReply(s, retire.succeeded(3, null, "retired"), T0);
        assertThat(events(retired)).containsExactly(PreviousRetired.class);
        assertThat(((PreviousRetired) ((Effect.Publish) retired.get(0)).event()).version()).isEqualTo(3);
        assertThat(s.state).isEqualTo(RotationState.COMPLETED);
    }

    @Test
    void immediateDropsThePreviousAndSchedulesNoRetirement() {
        Saga s = saga(Plans.IMMEDIATE);
        engine.accept(s, T0);
        StepRequested stage = commands(engine.begin(s, T0)).get(0);
        StepRequested update = commands(engine.onReply(s, stage.succeeded(1, 2, null), T0)).get(0);
        assertThat(update.spec().keepPrevious()).isFalse();
        List<Effect> done = engine.onReply(s, update.succeeded(1, 2, null), T0);
        assertThat(s.state).isEqualTo(RotationState.COMPLETED);
        assertThat(done).noneMatch(Effect.Schedule.class::isInstance);
        assertThat(commands(engine.onRetireDue(s, T0))).isEmpty();
    }

    @Test
    void aRepeatedOrStaleReplyChangesNothing() {
        Saga s = saga(Plans.DUAL_KEY);
        engine.accept(s, T0);
        StepRequested stage = commands(engine.begin(s, T0)).get(0);
        engine.onReply(s, stage.succeeded(1, 2, null), T0);
        assertThat(engine.onReply(s, stage.succeeded(1, 2, null), T0)).isEmpty();
        assertThat(engine.onReply(s, stage.failed(false, "late"), T0)).isEmpty();
        assertThat(s.state).isEqualTo(RotationState.RUNNING);
        assertThat(s.run(UPDATE_SECRET, FORWARD).orElseThrow().status).isEqualTo(StepStatus.RUNNING);
    }

    @Test
    void aFailedStepIsCompensatedInReverseThenRolledBack() {
        Saga s = saga(Plans.DUAL_KEY);
        engine.accept(s, T0);
        StepRequested stage = commands(engine.begin(s, T0)).get(0);
        StepRequested update = commands(engine.onReply(s, stage.succeeded(1, 2, null), T0)).get(0);

        List<Effect> failed = engine.onReply(s, update.failed(false, "target not writable"), T0);
        assertThat(s.state).isEqualTo(RotationState.COMPENSATING);
        assertThat(events(failed)).containsExactly(CompensationStarted.class);
        StepRequested undoUpdate = commands(failed).get(0);
        assertThat(undoUpdate.step()).isEqualTo(UPDATE_SECRET);
        assertThat(undoUpdate.direction()).isEqualTo(COMPENSATE);

        StepRequested undoStage = commands(engine.onReply(s, undoUpdate.compensated("restored"), T0)).get(0);
        assertThat(undoStage.step()).isEqualTo(STAGE_SECRET);
        assertThat(undoStage.direction()).isEqualTo(COMPENSATE);

        List<Effect> done = engine.onReply(s, undoStage.compensated("discarded"), T0);
        assertThat(events(done)).containsExactly(RotationRolledBack.class);
        assertThat(s.state).isEqualTo(RotationState.ROLLED_BACK);
        RotationRolledBack event = (RotationRolledBack) ((Effect.Publish) done.get(0)).event();
        assertThat(event.failedStep()).isEqualTo(UPDATE_SECRET);
        assertThat(event.error()).isEqualTo("target not writable");
    }

    @Test
    void aFailedCompensationEndsFailedWithManualSteps() {
        Saga s = saga(Plans.DUAL_KEY);
        engine.accept(s, T0);
        StepRequested stage = commands(engine.begin(s, T0)).get(0);
        StepRequested update = commands(engine.onReply(s, stage.succeeded(1, 2, null), T0)).get(0);
        StepRequested undoUpdate = commands(engine.onReply(s, update.failed(false, "refused"), T0)).get(0);

        List<Effect> out = engine.onReply(s, undoUpdate.failed(false, "store unreachable"), T0);
        assertThat(s.state).isEqualTo(RotationState.FAILED);
        assertThat(commands(out)).isEmpty();
        RotationFailed failed = (RotationFailed) ((Effect.Publish) out.get(0)).event();
        assertThat(failed.error()).contains("UPDATE_SECRET").contains("store unreachable");
        assertThat(failed.manualSteps()).anySatisfy(m -> assertThat(m).contains("JWT in /srv/.env")
                .contains("version 1"));
    }

    @Test
    void aRetryableFailureIsRetriedAfterBackoffThenCompensatedWhenAttemptsRunOut() {
        Saga s = saga(Plans.DUAL_KEY);
        engine.accept(s, T0);
        StepRequested first = commands(engine.begin(s, T0)).get(0);

        List<Effect> wait = engine.onReply(s, first.failed(true, "store busy"), T0);
        assertThat(commands(wait)).isEmpty();
        Effect.Schedule retry = (Effect.Schedule) wait.get(0);
        assertThat(retry.kind()).isEqualTo(TimerKind.RETRY);
        assertThat(retry.due()).isEqualTo(T0.plusSeconds(2));
        assertThat(retry.attempt()).isEqualTo(2);

        StepRequested second = commands(engine.onRetryDue(s, STAGE_SECRET, FORWARD, 2, T0)).get(0);
        assertThat(second.attempt()).isEqualTo(2);
        assertThat(engine.onRetryDue(s, STAGE_SECRET, FORWARD, 2, T0)).as("a timer firing twice").isEmpty();

        // A timeout counts as a failed attempt, with a doubled backoff.
        Effect.Schedule retry3 = (Effect.Schedule) engine.onTimeout(s, STAGE_SECRET, FORWARD, 2, T0).get(0);
        assertThat(retry3.due()).isEqualTo(T0.plusSeconds(4));
        StepRequested third = commands(engine.onRetryDue(s, STAGE_SECRET, FORWARD, 3, T0)).get(0);
        assertThat(engine.onTimeout(s, STAGE_SECRET, FORWARD, 2, T0)).as("an old attempt's timeout").isEmpty();

        List<Effect> out = engine.onReply(s, third.failed(true, "store busy"), T0);
        assertThat(s.state).isEqualTo(RotationState.COMPENSATING);
        assertThat(commands(out)).singleElement().satisfies(c -> {
            assertThat(c.step()).isEqualTo(STAGE_SECRET);
            assertThat(c.direction()).isEqualTo(COMPENSATE);
        });
    }
}

package dev.rotor.orchestrator.saga;

import static dev.rotor.contracts.messages.Direction.COMPENSATE;
import static dev.rotor.contracts.messages.Direction.FORWARD;
import static dev.rotor.contracts.messages.Step.APPLY_CREDENTIAL;
import static dev.rotor.contracts.messages.Step.REENCRYPT;
import static dev.rotor.contracts.messages.Step.RETIRE_PREVIOUS;
import static dev.rotor.contracts.messages.Step.STAGE_SECRET;
import static dev.rotor.contracts.messages.Step.UPDATE_SECRET;
import static dev.rotor.orchestrator.saga.SagaEngineTest.commands;
import static java.time.Duration.ofHours;
import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotor.contracts.messages.Step;
import dev.rotor.contracts.messages.StepRequested;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each step's attempts and timeout, from its plan unless configured for all; bad values refused by name. */
class StepRetryPolicyTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private final SagaEngine engine = new SagaEngine(EngineSettings.NONE, () -> 1.0);

    private static List<Effect.Schedule> timers(List<Effect> effects, TimerKind kind) {
        return effects.stream().filter(Effect.Schedule.class::isInstance).map(Effect.Schedule.class::cast)
                .filter(t -> t.kind() == kind).toList();
    }

    /** Fails a step's forward attempts, from {@code first}, until it stops retrying; returns the attempts made. */
    private static int failUntilGivenUp(SagaEngine engine, Saga s, StepRequested first) {
        StepRequested current = first;
        while (true) {
            List<Effect> out = engine.onReply(s, current.failed(true, "busy"), T0);
            List<Effect.Schedule> retry = timers(out, TimerKind.RETRY);
            if (retry.isEmpty()) {
                return current.attempt();
            }
            current = commands(engine.onRetryDue(s, current.step(), FORWARD, retry.get(0).attempt(), T0)).get(0);
        }
    }

    @Test
    void aStepWithTwoAttemptsCompensatesAfterItsSecondFailureAndOneWithFiveRetriesFourTimes() {
        Plan plan = new Plan("test", List.of(PlanStep.of(STAGE_SECRET).attempts(2),
                PlanStep.of(UPDATE_SECRET).attempts(5)));
        Saga twice = SagaEngineTest.saga(plan);
        engine.accept(twice, T0);
        assertThat(failUntilGivenUp(engine, twice, commands(engine.begin(twice, T0)).get(0))).isEqualTo(2);
        assertThat(twice.state).isEqualTo(RotationState.COMPENSATING);
        assertThat(twice.run(STAGE_SECRET, COMPENSATE)).isPresent();

        Saga fiveTimes = SagaEngineTest.saga(plan);
        engine.accept(fiveTimes, T0);
        StepRequested stage = commands(engine.begin(fiveTimes, T0)).get(0);
        StepRequested update = commands(engine.onReply(fiveTimes, stage.succeeded(1, 2, null), T0)).get(0);
        assertThat(failUntilGivenUp(engine, fiveTimes, update)).isEqualTo(5);
        assertThat(fiveTimes.run(UPDATE_SECRET, FORWARD).orElseThrow().status).isEqualTo(StepStatus.FAILED);
        assertThat(fiveTimes.state).isEqualTo(RotationState.COMPENSATING);
    }

    @Test
    void thePlansOwnAttemptsHold() {
        Saga credential = SagaEngineTest.saga(Plans.CREDENTIAL);
        engine.accept(credential, T0);
        StepRequested stage = commands(engine.begin(credential, T0)).get(0);
        StepRequested apply = commands(engine.onReply(credential, stage.succeeded(1, 2, null), T0)).get(0);
        assertThat(apply.step()).isEqualTo(APPLY_CREDENTIAL);
        assertThat(failUntilGivenUp(engine, credential, apply)).as("APPLY_CREDENTIAL: few attempts").isEqualTo(2);

        Saga dualKey = SagaEngineTest.saga(Plans.DUAL_KEY);
        engine.accept(dualKey, T0);
        stage = commands(engine.begin(dualKey, T0)).get(0);
        StepRequested update = commands(engine.onReply(dualKey, stage.succeeded(1, 2, null), T0)).get(0);
        engine.onReply(dualKey, update.succeeded(1, 2, null), T0);
        StepRequested retire = commands(engine.onRetireDue(dualKey, T0)).get(0);
        assertThat(failUntilGivenUp(engine, dualKey, retire)).as("RETIRE_PREVIOUS: more attempts").isEqualTo(5);
        assertThat(dualKey.retirementError).contains("after 5 attempt(s)");
    }

    @Test
    void eachStepsTimeoutIsItsStepTimeoutTimer() {
        Plan plan = new Plan("test", List.of(PlanStep.of(STAGE_SECRET).timeout(ofSeconds(45)),
                PlanStep.of(UPDATE_SECRET)));
        Saga s = SagaEngineTest.saga(plan);
        engine.accept(s, T0);
        List<Effect> begun = engine.begin(s, T0);
        assertThat(timers(begun, TimerKind.STEP_TIMEOUT)).singleElement()
                .satisfies(t -> assertThat(t.due()).isEqualTo(T0.plusSeconds(45)));
        StepRequested stage = commands(begun).get(0);
        Effect.Schedule retry = timers(engine.onReply(s, stage.failed(true, "busy"), T0), TimerKind.RETRY).get(0);
        List<Effect> second = engine.onRetryDue(s, STAGE_SECRET, FORWARD, 2, retry.due());
        assertThat(commands(second)).singleElement().satisfies(c -> assertThat(c.attempt()).isEqualTo(2));
        assertThat(timers(second, TimerKind.STEP_TIMEOUT)).as("every attempt").singleElement()
                .satisfies(t -> assertThat(t.due()).isEqualTo(retry.due().plusSeconds(45)));
        assertThat(engine.onTimeout(s, STAGE_SECRET, FORWARD, 2, retry.due().plusSeconds(45))).isNotEmpty();
        assertThat(s.run(STAGE_SECRET, FORWARD).orElseThrow().error).endsWith("timed out after PT45S");

        Saga other = SagaEngineTest.saga(plan);
        engine.accept(other, T0);
        StepRequested otherStage = commands(engine.begin(other, T0)).get(0);
        assertThat(timers(engine.onReply(other, otherStage.succeeded(1, 2, null), T0), TimerKind.STEP_TIMEOUT))
                .as("a step that sets none: the built-in 60 s").singleElement()
                .satisfies(t -> assertThat(t.due()).isEqualTo(T0.plusSeconds(60)));
    }

    @Test
    void thePlansTimeoutsAreTheirSteps() {
        assertThat(timeoutOf(EngineSettings.NONE, Plans.DUAL_KEY, STAGE_SECRET)).isEqualTo(ofSeconds(30));
        assertThat(timeoutOf(EngineSettings.NONE, Plans.DUAL_KEY, UPDATE_SECRET)).isEqualTo(ofSeconds(90));
        assertThat(timeoutOf(EngineSettings.NONE, Plans.DUAL_KEY, RETIRE_PREVIOUS)).isEqualTo(ofSeconds(60));
        assertThat(timeoutOf(EngineSettings.NONE, Plans.ONLINE_REENCRYPT, REENCRYPT)).isEqualTo(ofHours(2));
    }

    @Test
    void aConfiguredValueReplacesThePlansForEveryStep() {
        // As a system test sets ROTOR_ORCHESTRATOR_STEP_TIMEOUT=20s: shorter than UPDATE_SECRET's own 90 s.
        EngineSettings tests = new EngineSettings(ofSeconds(20), null, null, null, null);
        assertThat(timeoutOf(tests, Plans.DUAL_KEY, UPDATE_SECRET)).isEqualTo(ofSeconds(20));
        assertThat(timeoutOf(tests, Plans.DUAL_KEY, STAGE_SECRET)).isEqualTo(ofSeconds(20));
        assertThat(timeoutOf(tests, Plans.ONLINE_REENCRYPT, REENCRYPT)).as("long-running: its own key")
                .isEqualTo(ofHours(2));
        EngineSettings longShort = new EngineSettings(null, null, null, ofSeconds(6), null);
        assertThat(timeoutOf(longShort, Plans.ONLINE_REENCRYPT, REENCRYPT)).isEqualTo(ofSeconds(6));
        assertThat(timeoutOf(longShort, Plans.ONLINE_REENCRYPT, STAGE_SECRET)).isEqualTo(ofSeconds(30));

        EngineSettings once = new EngineSettings(null, 1, null, null, null);
        SagaEngine strict = new SagaEngine(once, () -> 1.0);
        Saga s = SagaEngineTest.saga(Plans.DUAL_KEY);
        strict.accept(s, T0);
        assertThat(failUntilGivenUp(strict, s, commands(strict.begin(s, T0)).get(0))).isEqualTo(1);
    }

    private static Duration timeoutOf(EngineSettings settings, Plan plan, Step step) {
        return settings.policyFor(plan.step(step).orElseThrow()).timeout();
    }

    @Test
    void invalidValuesAreRefusedNamingTheStepAndTheValue() {
        PlanStep stage = PlanStep.of(STAGE_SECRET);
        assertThatThrownBy(() -> stage.timeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("STAGE_SECRET: timeout must be positive, was PT0S");
        assertThatThrownBy(() -> stage.attempts(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("STAGE_SECRET: maxAttempts must be at least 1, was 0");
        assertThatThrownBy(() -> stage.backoff(ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("STAGE_SECRET: backoff must be positive, was PT-1S");
        assertThatThrownBy(() -> stage.backoff(ofSeconds(2), ofMillis(500)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("STAGE_SECRET: backoff cap PT0.5S is shorter than the backoff PT2S");
        assertThatThrownBy(() -> stage.timeout(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("STAGE_SECRET: timeout must be given; leave it out to use the default");
        assertThatThrownBy(() -> new EngineSettings(ofSeconds(-5), 3, ofSeconds(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("stepTimeout must be positive, was PT-5S");
        assertThatThrownBy(() -> new EngineSettings(null, 0, null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxAttempts must be at least 1, was 0");
        assertThat(stage.timeout(ofSeconds(5)).attempts(4).backoff(ofSeconds(1)).retry())
                .isEqualTo(new RetryPolicy(ofSeconds(5), 4, ofSeconds(1), null));
    }
}

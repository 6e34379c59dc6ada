package dev.rotor.orchestrator.saga;

import static dev.rotor.contracts.messages.Direction.FORWARD;
import static dev.rotor.contracts.messages.Step.STAGE_SECRET;
import static dev.rotor.orchestrator.saga.SagaEngineTest.commands;
import static java.time.Duration.ofMillis;
import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotor.contracts.messages.StepRequested;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The wait before each retry, read from the durable RETRY timers the engine schedules. */
class BackoffJitterTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final PlanStep STAGE = PlanStep.of(STAGE_SECRET).attempts(6).backoff(ofSeconds(2));

    /** Fails the first step {@code failures} times (retryably) and returns the wait before each retry. */
    static List<Duration> retryWaits(SagaEngine engine, PlanStep step, int failures) {
        Saga s = SagaEngineTest.saga(new Plan("test", List.of(step)));
        engine.accept(s, T0);
        StepRequested current = commands(engine.begin(s, T0)).get(0);
        List<Duration> waits = new ArrayList<>();
        Instant now = T0;
        for (int n = 1; n <= failures; n++) {
            Effect.Schedule retry = engine.onReply(s, current.failed(true, "store busy"), now).stream()
                    .filter(Effect.Schedule.class::isInstance).map(Effect.Schedule.class::cast)
                    .filter(t -> t.kind() == TimerKind.RETRY).findFirst().orElseThrow();
            assertThat(retry.attempt()).isEqualTo(n + 1);
            waits.add(Duration.between(now, retry.due()));
            now = retry.due();
            current = commands(engine.onRetryDue(s, STAGE_SECRET, FORWARD, n + 1, now)).get(0);
        }
        return waits;
    }

    @Test
    void theLowestJitterWaitsHalfTheDoublingDelayAndTheHighestAllOfIt() {
        assertThat(retryWaits(new SagaEngine(EngineSettings.NONE, () -> 0.0), STAGE, 5))
                .containsExactly(ofSeconds(1), ofSeconds(2), ofSeconds(4), ofSeconds(8), ofSeconds(16));
        assertThat(retryWaits(new SagaEngine(EngineSettings.NONE, () -> 1.0), STAGE, 5))
                .containsExactly(ofSeconds(2), ofSeconds(4), ofSeconds(8), ofSeconds(16), ofSeconds(32));
        assertThat(retryWaits(new SagaEngine(EngineSettings.NONE, () -> 0.5), STAGE, 2))
                .containsExactly(ofMillis(1500), ofSeconds(3));
    }

    @Test
    void withARandomJitterEveryWaitLiesBetweenHalfTheDelayAndTheDelay() {
        SagaEngine engine = new SagaEngine(EngineSettings.NONE);
        Set<Duration> firstWaits = new HashSet<>();
        for (int run = 0; run < 50; run++) {
            List<Duration> waits = retryWaits(engine, STAGE, 5);
            for (int n = 1; n <= 5; n++) {
                Duration d = ofSeconds(2).multipliedBy(1L << (n - 1));
                assertThat(waits.get(n - 1)).as("wait after attempt %d", n).isBetween(d.dividedBy(2), d);
            }
            firstWaits.add(waits.get(0));
        }
        assertThat(firstWaits).as("retries that failed together spread out").hasSizeGreaterThan(10);
    }

    @Test
    void theCapBoundsTheDoublingBeforeJitter() {
        PlanStep capped = PlanStep.of(STAGE_SECRET).attempts(6).backoff(ofSeconds(30), ofMinutes(1));
        assertThat(retryWaits(new SagaEngine(EngineSettings.NONE, () -> 1.0), capped, 5))
                .containsExactly(ofSeconds(30), ofMinutes(1), ofMinutes(1), ofMinutes(1), ofMinutes(1));
        assertThat(retryWaits(new SagaEngine(EngineSettings.NONE, () -> 0.0), capped, 5))
                .containsExactly(ofSeconds(15), ofSeconds(30), ofSeconds(30), ofSeconds(30), ofSeconds(30));
    }

    @Test
    void withoutACapOfItsOwnAStepIsCappedByTheBuiltInFiveMinutes() {
        PlanStep uncapped = PlanStep.of(STAGE_SECRET).attempts(10).backoff(ofSeconds(20));
        List<Duration> waits = retryWaits(new SagaEngine(EngineSettings.NONE, () -> 1.0), uncapped, 9);
        assertThat(waits).startsWith(ofSeconds(20), ofSeconds(40), ofSeconds(80), ofSeconds(160), ofMinutes(5));
        assertThat(waits).endsWith(ofMinutes(5), ofMinutes(5));
    }

    @Test
    void aConfiguredBackoffAndCapReplaceTheStepsOwn() {
        // What the test profile does: one short backoff for every step, whatever its plan says.
        EngineSettings configured = new EngineSettings(null, null, ofMillis(300), null, ofSeconds(1));
        PlanStep slow = PlanStep.of(STAGE_SECRET).attempts(6).backoff(ofSeconds(30), ofMinutes(10));
        assertThat(retryWaits(new SagaEngine(configured, () -> 1.0), slow, 5))
                .containsExactly(ofMillis(300), ofMillis(600), ofSeconds(1), ofSeconds(1), ofSeconds(1));
    }

    @Test
    void aJitterOutsideZeroToOneIsRefused() {
        SagaEngine broken = new SagaEngine(EngineSettings.NONE, () -> 1.5);
        assertThatThrownBy(() -> retryWaits(broken, STAGE, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("jitter must be within [0, 1], was 1.5");
    }
}

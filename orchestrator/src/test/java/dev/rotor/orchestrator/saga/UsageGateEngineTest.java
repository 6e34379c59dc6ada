package dev.rotor.orchestrator.saga;

import static dev.rotor.contracts.messages.Step.RETIRE_PREVIOUS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.contracts.catalog.RetireWhenSpec;
import dev.rotor.contracts.messages.RetireDeferred;
import dev.rotor.contracts.messages.RetireOverdue;
import dev.rotor.contracts.messages.RotationEvent;
import dev.rotor.contracts.messages.StepRequested;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RETIRE_PREVIOUS gated on use, with no broker and no database: grace 48h, max-share 5% for 30m, alert above 10%
 * after 3d, max-grace 7d, a probe every minute.
 */
class UsageGateEngineTest {
    private static final Instant DONE = Instant.parse("2025-01-01T00:00:00Z");
    private static final Duration EVERY = Duration.ofMinutes(1);
    private static final RetireWhenSpec WHEN = new RetireWhenSpec("prometheus", "share", null, null, "5%", "30m", "7d",
            "10%", "3d");
    private final SagaEngine engine = new SagaEngine(EngineSettings.NONE, () -> 1.0);

    private Saga completed() {
        Saga s = SagaEngineTest.saga(Plans.DUAL_KEY);
        s.retireWhen = WHEN;
        engine.accept(s, DONE);
        StepRequested stage = SagaEngineTest.commands(engine.begin(s, DONE)).get(0);
        StepRequested update = SagaEngineTest.commands(engine.onReply(s, stage.succeeded(3, 4, null), DONE)).get(0);
        List<Effect> done = engine.onReply(s, update.succeeded(3, 4, null), DONE);
        assertThat(schedules(done)).containsExactly(new Effect.Schedule(TimerKind.USAGE_CHECK,
                DONE.plus(Duration.ofHours(48)), RETIRE_PREVIOUS, dev.rotor.contracts.messages.Direction.FORWARD,
                null, 3));
        return s;
    }

    private static List<Effect.Schedule> schedules(List<Effect> effects) {
        return effects.stream().filter(Effect.Schedule.class::isInstance).map(Effect.Schedule.class::cast)
                .filter(e -> e.kind() != TimerKind.STEP_TIMEOUT).toList();
    }

    private static List<RotationEvent> events(List<Effect> effects) {
        return effects.stream().filter(Effect.Publish.class::isInstance).map(e -> ((Effect.Publish) e).event())
                .toList();
    }

    private List<Effect> probe(Saga s, Double share, Duration after) {
        return engine.onUsage(s, new RetireGate.Sample(share, "probe " + share), EVERY, DONE.plus(after));
    }

    @Test
    void aShareAboveDefersOnceThenRetiresOnlyAfterItStayedLowForTheWholeHold() {
        Saga s = completed();
        List<Effect> first = probe(s, 0.12, Duration.ofHours(48));
        assertThat(events(first)).singleElement().isEqualTo(new RetireDeferred(s.id, "jwt-secret",
                s.trigger, s.reason, 3, 0.12, 0.05, DONE.plus(Duration.ofDays(7)), "probe 0.12",
                DONE.plus(Duration.ofHours(48))));
        assertThat(SagaEngineTest.commands(first)).isEmpty();
        assertThat(schedules(first)).extracting(Effect.Schedule::due)
                .containsExactly(DONE.plus(Duration.ofHours(48)).plus(EVERY));

        Duration low = Duration.ofHours(49);
        List<Effect> below = probe(s, 0.04, low);
        assertThat(events(below)).as("deferred once only").isEmpty();
        assertThat(s.gate.belowSince()).isEqualTo(DONE.plus(low));
        assertThat(SagaEngineTest.commands(probe(s, null, low.plusMinutes(10)))).as("unknown is not low").isEmpty();
        assertThat(s.gate.belowSince()).isNull();
        probe(s, 0.05, low.plusMinutes(11));
        assertThat(SagaEngineTest.commands(probe(s, 0.01, low.plusMinutes(40)))).isEmpty();
        List<Effect> retire = probe(s, 0.0, low.plusMinutes(41));
        assertThat(SagaEngineTest.commands(retire)).singleElement()
                .satisfies(c -> assertThat(c.step()).isEqualTo(RETIRE_PREVIOUS));
        assertThat(s.gate.outcome()).isEqualTo(RetireGate.BY_SHARE);
        assertThat(probe(s, 0.0, low.plusMinutes(42))).as("retirement already started").isEmpty();
    }

    @Test
    void aShareStillAboveTheAlertAfterAlertAfterIsUrgentOnceAndMaxGraceRetiresAnyway() {
        Saga s = completed();
        probe(s, 0.2, Duration.ofHours(48));
        assertThat(events(probe(s, 0.2, Duration.ofDays(3).minusMinutes(1)))).isEmpty();
        List<RotationEvent> alert = events(probe(s, 0.2, Duration.ofDays(3)));
        assertThat(alert).singleElement().isEqualTo(new RetireOverdue(s.id, "jwt-secret", s.trigger, s.reason, 3,
                RetireOverdue.ALERT_ABOVE, 0.2, 0.10, false, DONE.plus(Duration.ofDays(3))));
        assertThat(alert.get(0).urgent()).isTrue();
        assertThat(events(probe(s, 0.2, Duration.ofDays(4)))).as("alerted once").isEmpty();
        List<Effect> last = probe(s, 0.2, Duration.ofDays(7).minusSeconds(30));
        assertThat(schedules(last)).extracting(Effect.Schedule::due).as("never probed after max-grace")
                .containsExactly(DONE.plus(Duration.ofDays(7)));

        List<Effect> atMaxGrace = probe(s, null, Duration.ofDays(7));
        assertThat(events(atMaxGrace)).singleElement().isEqualTo(new RetireOverdue(s.id, "jwt-secret", s.trigger,
                s.reason, 3, RetireOverdue.MAX_GRACE, null, 0.05, true, DONE.plus(Duration.ofDays(7))));
        assertThat(SagaEngineTest.commands(atMaxGrace)).singleElement()
                .satisfies(c -> assertThat(c.step()).isEqualTo(RETIRE_PREVIOUS));
        assertThat(s.gate.outcome()).isEqualTo(RetireGate.AT_MAX_GRACE);
    }

    @Test
    void aForcedRetirementStartsOnceAndOnlyForACompletedRotation() {
        Saga running = SagaEngineTest.saga(Plans.DUAL_KEY);
        engine.accept(running, DONE);
        engine.begin(running, DONE);
        assertThat(engine.forceRetire(running, DONE)).isEmpty();

        Saga s = completed();
        probe(s, 0.5, Duration.ofHours(48));
        assertThat(SagaEngineTest.commands(engine.forceRetire(s, DONE.plus(Duration.ofHours(50)))))
                .singleElement().satisfies(c -> assertThat(c.spec().fromVersion()).isEqualTo(3));
        assertThat(s.gate.outcome()).isEqualTo(RetireGate.FORCED);
        assertThat(engine.forceRetire(s, DONE.plus(Duration.ofHours(51)))).isEmpty();
        assertThat(probe(s, 0.0, Duration.ofHours(52))).isEmpty();
    }
}

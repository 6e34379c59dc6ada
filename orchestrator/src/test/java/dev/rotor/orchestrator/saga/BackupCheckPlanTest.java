package dev.rotor.orchestrator.saga;

import static dev.rotor.contracts.messages.Direction.FORWARD;
import static dev.rotor.contracts.messages.Step.CHECK_BACKUP;
import static dev.rotor.orchestrator.saga.SagaEngineTest.commands;
import static dev.rotor.orchestrator.saga.SagaEngineTest.events;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.contracts.catalog.Strategy;
import dev.rotor.contracts.messages.CompensationStarted;
import dev.rotor.contracts.messages.RotationRolledBack;
import dev.rotor.contracts.messages.Step;
import dev.rotor.contracts.messages.StepRequested;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CHECK_BACKUP in the plans and through the engine: first, only where rows are re-encrypted, and nothing to undo. */
class BackupCheckPlanTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private final SagaEngine engine = new SagaEngine(EngineSettings.NONE);

    private static List<Step> steps(Plan p) {
        return p.steps().stream().map(PlanStep::step).toList();
    }

    @Test
    void theCheckComesFirstInEveryReencryptingPlanAndTheirRehearsalsOnly() {
        for (Strategy strategy : Strategy.values()) {
            Plan plain = Plans.forRotation(strategy, false, true).orElse(null);
            if (plain == null) {
                continue;
            }
            Plan checked = Plans.forRotation(strategy, false, true, true).orElseThrow();
            if (strategy.reencrypts()) {
                assertThat(steps(checked).get(0)).as(strategy.catalogName()).isEqualTo(CHECK_BACKUP);
                assertThat(steps(checked).subList(1, checked.steps().size())).isEqualTo(steps(plain));
                assertThat(steps(Plans.forRotation(strategy, true, true, true).orElseThrow()))
                        .containsExactly(CHECK_BACKUP, Step.STAGE_SECRET, Step.REENCRYPT);
            } else {
                assertThat(checked).as(strategy.catalogName()).isEqualTo(plain);
            }
            assertThat(Plans.forRotation(strategy, false, true, false)).contains(plain);
        }
        PlanStep check = Plans.forRotation(Strategy.OFFLINE_REENCRYPT, false, false, true).orElseThrow()
                .step(CHECK_BACKUP).orElseThrow();
        assertThat(check.compensable()).isFalse();
        assertThat(check.local()).isFalse();
        assertThat(check.retry().maxAttempts()).isEqualTo(2);
    }

    @Test
    void aFailedCheckRollsTheRotationBackAtOnceWithNothingStaged() {
        Saga s = SagaEngineTest.saga(Plans.forRotation(Strategy.OFFLINE_REENCRYPT, false, false, true).orElseThrow());
        engine.accept(s, T0);
        List<StepRequested> first = commands(engine.begin(s, T0));
        assertThat(first).singleElement().satisfies(c -> {
            assertThat(c.step()).isEqualTo(CHECK_BACKUP);
            assertThat(c.direction()).isEqualTo(FORWARD);
        });
        List<Effect> after = engine.onReply(s, first.get(0).failed(false,
                "backup check failed: sql check 'select false' on datasource app returned false"), T0);
        assertThat(commands(after)).isEmpty();
        // No step before it, and it has nothing to undo: rolled back at once, with no command sent.
        assertThat(s.state).isEqualTo(RotationState.ROLLED_BACK);
        assertThat(events(after)).containsExactly(CompensationStarted.class, RotationRolledBack.class);
        assertThat(s.failedStep).isEqualTo(CHECK_BACKUP);
        assertThat(s.error).contains("returned false");
        assertThat(s.toVersion).isNull();
    }

    @Test
    void aPassedCheckStagesNext() {
        Saga s = SagaEngineTest.saga(Plans.forRotation(Strategy.OFFLINE_REENCRYPT, false, false, true).orElseThrow());
        engine.accept(s, T0);
        StepRequested check = commands(engine.begin(s, T0)).get(0);
        List<StepRequested> next = commands(engine.onReply(s, check.succeeded(null, null, "backup check passed"),
                T0));
        assertThat(next).singleElement().satisfies(c -> assertThat(c.step()).isEqualTo(Step.STAGE_SECRET));
    }
}

package dev.rotor.orchestrator.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.contracts.catalog.GeneratorSpec;
import dev.rotor.contracts.catalog.RolloutSpec;
import dev.rotor.contracts.catalog.SecretKind;
import dev.rotor.contracts.catalog.StoreRef;
import dev.rotor.contracts.catalog.Strategy;
import dev.rotor.contracts.catalog.TargetSpec;
import dev.rotor.contracts.json.RotorJson;
import dev.rotor.contracts.messages.Step;
import dev.rotor.contracts.messages.StepSpec;
import dev.rotor.orchestrator.persistence.FrozenPlans;
import dev.rotor.orchestrator.persistence.RotationEntity;
import dev.rotor.orchestrator.saga.FrozenPlan;
import dev.rotor.orchestrator.saga.Plans;
import dev.rotor.orchestrator.saga.WaveProgress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What survives a restart of a rollout: the frozen plan with its waves and gate, and the stored wave progress; and
 * how the API, the dashboard and chat-ops show it from those two columns alone.
 */
class RolloutStatusTest {
    private static final RolloutSpec ROLLOUT = new RolloutSpec(List.of("10%", "50%", "100%"),
            new RolloutSpec.Gate("prometheus", "errors{cohort=\"{wave}\"}", null, null, "2%", "10m", null));

    private static FrozenPlan frozen() {
        List<TargetSpec> targets = List.of(new TargetSpec("env-file", "/a", "K", null, null),
                new TargetSpec("env-file", "/b", "K", null, null), new TargetSpec("env-file", "/c", "K", null, null),
                new TargetSpec("env-file", "/d", "K", null, null));
        StepSpec spec = new StepSpec("app-key", SecretKind.SIGNING_KEY, Strategy.DUAL_KEY,
                new GeneratorSpec("base64", 32, null, null), new StoreRef("local", "app/key", null), targets, null,
                null, null, null, true, false);
        return new FrozenPlan(Plans.forRotation(Strategy.DUAL_KEY, false, false, ROLLOUT).orElseThrow(), spec,
                Duration.ofHours(1), null, null, List.of(), null, ROLLOUT);
    }

    @Test
    void theWavesAndGateAreFrozenAndReadBackEqual() {
        FrozenPlan frozen = frozen();
        String json = FrozenPlans.write(frozen);
        assertThat(FrozenPlans.read(UUID.randomUUID(), json)).isEqualTo(frozen);
        assertThat(json).contains("\"rollout\":{\"waves\":[\"10%\",\"50%\",\"100%\"],\"gate\":{\"source\":"
                + "\"prometheus\"").contains("\"for\":\"10m\"").contains("\"step\":\"WAVE_GATE\"");
        WaveProgress progress = new WaveProgress(2, Map.of(Step.UPDATE_SECRET, 1, Step.WAVE_GATE, 1));
        assertThat(RotorJson.mapper().convertValue(RotorJson.mapper().valueToTree(progress), WaveProgress.class))
                .isEqualTo(progress);
    }

    @Test
    void theStatusShowsTheCurrentWaveFromTheStoredColumns() throws Exception {
        RotationEntity row = new RotationEntity();
        row.id = UUID.randomUUID();
        row.frozenPlan = FrozenPlans.write(frozen());
        assertThat(RolloutStatus.of(row)).isEqualTo(new RolloutStatus(1, ROLLOUT.waves(), 1, 4,
                "prometheus errors{cohort=\"{wave}\"}", "2%", "10m"));
        row.rollout = RotorJson.mapper().writeValueAsString(new WaveProgress(2, Map.of(Step.UPDATE_SECRET, 1)));
        RolloutStatus status = RolloutStatus.of(row);
        assertThat(status.summary()).isEqualTo("wave 2 of 3 (2 of 4 targets)");
        row.frozenPlan = FrozenPlans.write(new FrozenPlan(Plans.DUAL_KEY, frozen().spec(), Duration.ofHours(1), null,
                null, List.of()));
        assertThat(RolloutStatus.of(row)).isNull();
    }
}

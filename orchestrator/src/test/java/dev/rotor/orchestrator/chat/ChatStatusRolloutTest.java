package dev.rotor.orchestrator.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.contracts.catalog.GeneratorSpec;
import dev.rotor.contracts.catalog.RolloutSpec;
import dev.rotor.contracts.catalog.SecretKind;
import dev.rotor.contracts.catalog.StoreRef;
import dev.rotor.contracts.catalog.Strategy;
import dev.rotor.contracts.catalog.TargetSpec;
import dev.rotor.contracts.messages.StepSpec;
import dev.rotor.orchestrator.persistence.FrozenPlans;
import dev.rotor.orchestrator.persistence.RotationEntity;
import dev.rotor.orchestrator.saga.FrozenPlan;
import dev.rotor.orchestrator.saga.Plans;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code /rotor status} names the wave a rollout has reached, under the rotation's line. */
class ChatStatusRolloutTest {
    @Test
    void aRolloutShowsItsCurrentWave() {
        RolloutSpec rollout = new RolloutSpec(List.of("33%", "100%"),
                new RolloutSpec.Gate("http", null, "http://app/errors", null, "2%", "1m", null));
        StepSpec spec = new StepSpec("app-key", SecretKind.SIGNING_KEY, Strategy.DUAL_KEY,
                new GeneratorSpec("base64", 32, null, null), new StoreRef("local", "app/key", null),
                List.of(new TargetSpec("env-file", "/a", "K", null, null),
                        new TargetSpec("env-file", "/b", "K", null, null),
                        new TargetSpec("env-file", "/c", "K", null, null)), null, null, null, null, true, false);
        RotationEntity r = new RotationEntity();
        r.id = UUID.fromString("00000000-0000-0000-0000-000000000001");
        r.secretId = "app-key";
        r.state = "RUNNING";
        r.strategy = "dual-key";
        r.trigger = "MANUAL";
        r.requestedBy = "alice";
        r.requestedAt = Instant.parse("2026-01-01T00:00:00Z");
        r.frozenPlan = FrozenPlans.write(new FrozenPlan(Plans.forRotation(Strategy.DUAL_KEY, false, false, rollout)
                .orElseThrow(), spec, Duration.ofHours(1), null, null, List.of(), null, rollout));
        r.rollout = "{\"wave\":2,\"attemptsBefore\":{\"UPDATE_SECRET\":1}}";
        assertThat(ChatStatus.line(r)).isEqualTo("`00000000-0000-0000-0000-000000000001` `app-key` *RUNNING*"
                + " (dual-key, MANUAL, requested by alice at 2026-01-01T00:00:00Z)\nrollout: wave 2 of 2 (3 of 3"
                + " targets)");
    }
}

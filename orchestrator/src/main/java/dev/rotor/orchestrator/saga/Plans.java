package dev.rotor.orchestrator.saga;

import static dev.rotor.contracts.messages.Step.RETIRE_PREVIOUS;
import static dev.rotor.contracts.messages.Step.STAGE_SECRET;
import static dev.rotor.contracts.messages.Step.UPDATE_SECRET;

import dev.rotor.contracts.catalog.Strategy;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/** The implemented plans by strategy (design §4). A new strategy is a new entry here, not new engine code. */
public final class Plans {
    /** Planned rotation of signing and session secrets: the old version stays readable until the grace expires. */
    public static final Plan DUAL_KEY = new Plan("dual-key", java.util.List.of(
            PlanStep.of(STAGE_SECRET),
            PlanStep.of(UPDATE_SECRET).keepingPrevious(),
            PlanStep.of(RETIRE_PREVIOUS).afterGrace()));

    /** Emergency rotation: the old version is dropped by UPDATE_SECRET itself. */
    public static final Plan IMMEDIATE = new Plan("immediate", java.util.List.of(
            PlanStep.of(STAGE_SECRET),
            PlanStep.of(UPDATE_SECRET)));

    private static final Map<Strategy, Plan> BY_STRATEGY = new EnumMap<>(Map.of(
            Strategy.DUAL_KEY, DUAL_KEY,
            Strategy.IMMEDIATE, IMMEDIATE));

    private Plans() {
    }

    /** The plan of a strategy, or empty when that strategy is not implemented yet. */
    public static Optional<Plan> forStrategy(Strategy strategy) {
        return Optional.ofNullable(BY_STRATEGY.get(strategy));
    }
}

package dev.rotor.orchestrator.saga;

import static dev.rotor.contracts.messages.Step.APPLY_CREDENTIAL;
import static dev.rotor.contracts.messages.Step.DRAIN_TRAFFIC;
import static dev.rotor.contracts.messages.Step.REENCRYPT;
import static dev.rotor.contracts.messages.Step.RESTORE_TRAFFIC;
import static dev.rotor.contracts.messages.Step.RETIRE_PREVIOUS;
import static dev.rotor.contracts.messages.Step.STAGE_SECRET;
import static dev.rotor.contracts.messages.Step.UPDATE_SECRET;

import dev.rotor.contracts.catalog.Strategy;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The implemented plans by strategy (design §4). A new strategy is a new entry here, not new engine code. */
public final class Plans {
    /** Planned rotation of signing and session secrets: the old version stays readable until the grace expires. */
    public static final Plan DUAL_KEY = new Plan("dual-key", List.of(
            PlanStep.of(STAGE_SECRET),
            PlanStep.of(UPDATE_SECRET).keepingPrevious(),
            PlanStep.of(RETIRE_PREVIOUS).afterGrace()));

    /** Emergency rotation: the old version is dropped by UPDATE_SECRET itself. */
    public static final Plan IMMEDIATE = new Plan("immediate", List.of(
            PlanStep.of(STAGE_SECRET),
            PlanStep.of(UPDATE_SECRET)));

    /**
     * The card's order, ToolJet-compatible: the app is in maintenance while the rows move. Draining is undone by
     * restoring traffic, so a rollback always ends with the app serving again; RESTORE_TRAFFIC itself has nothing to
     * undo. The old key stays as previous for the grace, in case the data must go back.
     */
    public static final Plan OFFLINE_REENCRYPT = new Plan("offline-reencrypt", List.of(
            PlanStep.of(STAGE_SECRET),
            PlanStep.of(DRAIN_TRAFFIC),
            PlanStep.of(REENCRYPT).reportingProgress(),
            PlanStep.of(UPDATE_SECRET).keepingPrevious(),
            PlanStep.of(RESTORE_TRAFFIC).withoutCompensation(),
            PlanStep.of(RETIRE_PREVIOUS).afterGrace()));

    /**
     * No downtime: the keyring first gets the new key as primary and the old one as decrypt-only (previous-variable),
     * so the app reads both while the rows move in chunks.
     */
    public static final Plan ONLINE_REENCRYPT = new Plan("online-reencrypt", List.of(
            PlanStep.of(STAGE_SECRET),
            PlanStep.of(UPDATE_SECRET).keepingPrevious(),
            PlanStep.of(REENCRYPT).reportingProgress(),
            PlanStep.of(RETIRE_PREVIOUS).afterGrace()));

    /** A database password: once ALTER ROLE ran the old password no longer works, so there is no previous to keep. */
    public static final Plan CREDENTIAL = new Plan("credential", List.of(
            PlanStep.of(STAGE_SECRET),
            PlanStep.of(APPLY_CREDENTIAL),
            PlanStep.of(UPDATE_SECRET)));

    /** Two roles taking turns: the role not in use gets the new password, the old role works on through the grace. */
    public static final Plan ALTERNATING_USERS = new Plan("alternating-users", List.of(
            PlanStep.of(STAGE_SECRET),
            PlanStep.of(APPLY_CREDENTIAL),
            PlanStep.of(UPDATE_SECRET).keepingPrevious(),
            PlanStep.of(RETIRE_PREVIOUS).afterGrace()));

    private static final Map<Strategy, Plan> BY_STRATEGY = new EnumMap<>(Map.of(
            Strategy.DUAL_KEY, DUAL_KEY,
            Strategy.IMMEDIATE, IMMEDIATE,
            Strategy.OFFLINE_REENCRYPT, OFFLINE_REENCRYPT,
            Strategy.ONLINE_REENCRYPT, ONLINE_REENCRYPT,
            Strategy.CREDENTIAL, CREDENTIAL,
            Strategy.ALTERNATING_USERS, ALTERNATING_USERS));

    private Plans() {
    }

    /** The plan of a strategy, or empty when that strategy is not implemented yet. */
    public static Optional<Plan> forStrategy(Strategy strategy) {
        return Optional.ofNullable(BY_STRATEGY.get(strategy));
    }

    /** The plan a rotation runs: the strategy's, or its {@link Plan#rehearsal()} for a dry run (empty if none). */
    public static Optional<Plan> forRotation(Strategy strategy, boolean dryRun) {
        return forStrategy(strategy).flatMap(p -> dryRun ? p.rehearsal() : Optional.of(p));
    }
}

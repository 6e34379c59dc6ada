package dev.rotor.orchestrator.saga;

import static dev.rotor.contracts.messages.Step.APPLY_CREDENTIAL;
import static dev.rotor.contracts.messages.Step.CHECK_BACKUP;
import static dev.rotor.contracts.messages.Step.DRAIN_TRAFFIC;
import static dev.rotor.contracts.messages.Step.REENCRYPT;
import static dev.rotor.contracts.messages.Step.RELOAD_CONSUMERS;
import static dev.rotor.contracts.messages.Step.RESTORE_TRAFFIC;
import static dev.rotor.contracts.messages.Step.RETIRE_PREVIOUS;
import static dev.rotor.contracts.messages.Step.STAGE_SECRET;
import static dev.rotor.contracts.messages.Step.UPDATE_SECRET;
import static dev.rotor.contracts.messages.Step.WAVE_GATE;
import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofSeconds;

import dev.rotor.contracts.catalog.RolloutSpec;
import dev.rotor.contracts.catalog.Strategy;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The implemented plans by strategy (design §4). A new strategy is a new entry here, not new engine code. Each step
 * carries the retry policy that suits what it does; configured values override these for every step (see
 * {@link PlanStep}). Attempts count per direction: a compensation gets as many as the step.
 */
public final class Plans {
    // One query or command, bounded by the check's own timeout (at most 5 min, CatalogValidator). Nothing to undo.
    // Two attempts: a lost command is retried; a check that answered "no" fails at once (the worker says so).
    private static final PlanStep CHECK = PlanStep.of(CHECK_BACKUP)
            .timeout(ofMinutes(6)).attempts(2).backoff(ofSeconds(5)).withoutCompensation();
    // Generating a value and one store write: quick, so a lost attempt is noticed soon and retried soon.
    private static final PlanStep STAGE = PlanStep.of(STAGE_SECRET)
            .timeout(ofSeconds(30)).attempts(3).backoff(ofSeconds(1));
    // Writes every target in turn, and a Vault target may answer slowly: the longest ordinary timeout.
    private static final PlanStep UPDATE = PlanStep.of(UPDATE_SECRET)
            .timeout(ofSeconds(90)).attempts(3).backoff(ofSeconds(2));
    // ALTER ROLE, then a login with the new password: the database answers at once, and a refusal rarely passes.
    private static final PlanStep APPLY = PlanStep.of(APPLY_CREDENTIAL)
            .timeout(ofSeconds(30)).attempts(2).backoff(ofSeconds(2));
    // One HTTP call (ended by rotor.orchestrator.drain.timeout, 10 s), or a scale to 0 or a command ended by the
    // drain's own timeout (at most 5 min, CatalogValidator): the step's timeout leaves room for the longest.
    private static final PlanStep DRAIN = PlanStep.of(DRAIN_TRAFFIC)
            .timeout(ofMinutes(6)).attempts(3).backoff(ofSeconds(1));
    // The same, leaving maintenance or scaling back.
    private static final PlanStep RESTORE = PlanStep.of(RESTORE_TRAFFIC)
            .timeout(ofMinutes(6)).attempts(3).backoff(ofSeconds(1)).withoutCompensation();
    // Every reloader of the entry in turn, each bounded by its own timeout; the catalog keeps their sum under 12 min.
    // Undone after UPDATE_SECRET's restore, so the consumers reload the old value.
    private static final PlanStep RELOAD = PlanStep.of(RELOAD_CONSUMERS)
            .timeout(ofMinutes(15)).attempts(2).backoff(ofSeconds(5)).undoingAfterPrevious();
    // Hours of rows: the long timeout, renewed by progress; a retry finishes what is left, so give the database time.
    private static final PlanStep REENCRYPTION = PlanStep.of(REENCRYPT).reportingProgress()
            .attempts(3).backoff(ofSeconds(10));
    // Deferred, nothing waits for it: more attempts, spread over minutes so a store outage can pass.
    private static final PlanStep RETIRE = PlanStep.of(RETIRE_PREVIOUS).afterGrace()
            .timeout(ofSeconds(60)).attempts(5).backoff(ofSeconds(30), ofMinutes(10));

    /** Planned rotation of signing and session secrets: the old version stays readable until the grace expires. */
    public static final Plan DUAL_KEY = new Plan("dual-key", List.of(
            STAGE,
            UPDATE.keepingPrevious(),
            RETIRE));

    /** Emergency rotation: the old version is dropped by UPDATE_SECRET itself. */
    public static final Plan IMMEDIATE = new Plan("immediate", List.of(
            STAGE,
            UPDATE));

    /**
     * The card's order, ToolJet-compatible: the app is in maintenance while the rows move. Draining is undone by
     * restoring traffic, so a rollback always ends with the app serving again; RESTORE_TRAFFIC itself has nothing to
     * undo. The old key stays as previous for the grace, in case the data must go back.
     */
    public static final Plan OFFLINE_REENCRYPT = new Plan("offline-reencrypt", List.of(
            STAGE,
            DRAIN,
            REENCRYPTION,
            UPDATE.keepingPrevious(),
            RESTORE,
            RETIRE));

    /**
     * No downtime: the keyring first gets the new key as primary and the old one as decrypt-only (previous-variable),
     * so the app reads both while the rows move in chunks.
     */
    public static final Plan ONLINE_REENCRYPT = new Plan("online-reencrypt", List.of(
            STAGE,
            UPDATE.keepingPrevious(),
            REENCRYPTION,
            RETIRE));

    /** A database password: once ALTER ROLE ran the old password no longer works, so there is no previous to keep. */
    public static final Plan CREDENTIAL = new Plan("credential", List.of(
            STAGE,
            APPLY,
            UPDATE));

    /** Two roles taking turns: the role not in use gets the new password, the old role works on through the grace. */
    public static final Plan ALTERNATING_USERS = new Plan("alternating-users", List.of(
            STAGE,
            APPLY,
            UPDATE.keepingPrevious(),
            RETIRE));

    private static final Map<Strategy, Plan> BY_STRATEGY = new EnumMap<>(Map.of(
            Strategy.DUAL_KEY, DUAL_KEY,
            Strategy.IMMEDIATE, IMMEDIATE,
            Strategy.OFFLINE_REENCRYPT, OFFLINE_REENCRYPT,
            Strategy.ONLINE_REENCRYPT, ONLINE_REENCRYPT,
            Strategy.CREDENTIAL, CREDENTIAL,
            Strategy.ALTERNATING_USERS, ALTERNATING_USERS));

    private Plans() {
    }

    /**
     * The rollback of a COMPLETED rotation that ran {@code original} and kept its previous version (issue 14 §3), a
     * saga of its own whose commands carry {@code undoOf}: REENCRYPT restores the rows from the rotation's shadow
     * (when it re-encrypted), UPDATE_SECRET makes the old version current again as that rotation's compensation
     * would, RELOAD_CONSUMERS reloads the consumers (when it had reloaders). Each step is idempotent and retried as
     * in a rotation; none is compensated (a rollback is not rolled back): a step that fails for good ends it with
     * the error, the steps before it done. Empty for a plan that kept no previous version or was a rehearsal.
     */
    public static Optional<Plan> rollback(Plan original) {
        if (original.dryRun() || original.deferred().isEmpty()) {
            return Optional.empty();
        }
        List<PlanStep> steps = new java.util.ArrayList<>();
        original.step(REENCRYPT).ifPresent(s -> steps.add(REENCRYPTION.withoutCompensation()));
        original.step(UPDATE_SECRET).ifPresent(s -> steps.add(UPDATE.withoutCompensation()));
        original.step(RELOAD_CONSUMERS).ifPresent(s -> steps.add(RELOAD.withoutCompensation()));
        return steps.isEmpty() ? Optional.empty() : Optional.of(new Plan("rollback", steps));
    }

    /** The plan of a strategy, or empty when that strategy is not implemented yet. */
    public static Optional<Plan> forStrategy(Strategy strategy) {
        return Optional.ofNullable(BY_STRATEGY.get(strategy));
    }

    /** The plan a rotation runs: the strategy's, or its {@link Plan#rehearsal()} for a dry run (empty if none). */
    public static Optional<Plan> forRotation(Strategy strategy, boolean dryRun) {
        return forStrategy(strategy).flatMap(p -> dryRun ? p.rehearsal() : Optional.of(p));
    }

    /**
     * As {@link #forRotation(Strategy, boolean)}, with RELOAD_CONSUMERS after UPDATE_SECRET when the entry names
     * reloaders. Every plan writes targets in UPDATE_SECRET, so every plan gets it; a dry run never does.
     */
    public static Optional<Plan> forRotation(Strategy strategy, boolean dryRun, boolean reloads) {
        return forRotation(strategy, dryRun).map(p -> reloads ? p.withReload(RELOAD) : p);
    }

    /**
     * As {@link #forRotation(Strategy, boolean, boolean)}, with CHECK_BACKUP first when the entry has a
     * {@code reencrypt.backup-check} that was not overridden and the plan re-encrypts (a dry run too: it rehearses
     * the check).
     */
    public static Optional<Plan> forRotation(Strategy strategy, boolean dryRun, boolean reloads, boolean backupCheck) {
        return forRotation(strategy, dryRun, reloads).map(p -> backupCheck ? p.withBackupCheck(CHECK) : p);
    }

    /**
     * As {@link #forRotation(Strategy, boolean, boolean)}, with WAVE_GATE after each wave when {@code rollout} is given
     * (not null): UPDATE_SECRET (the wave's targets), RELOAD_CONSUMERS, WAVE_GATE, then again for the next wave.
     */
    public static Optional<Plan> forRotation(Strategy strategy, boolean dryRun, boolean reloads, RolloutSpec rollout) {
        return forRotation(strategy, dryRun, reloads).map(p -> rollout == null ? p : p.withGate(gate(rollout)));
    }

    /**
     * One attempt is the whole wait of a wave's gate (WaveGate), so its timeout is the gate's own plus a minute, and it
     * counts as long-running (the long step timeout, when configured, bounds it). A failed gate is a decision, not a
     * fault: one attempt. Nothing to undo: the waves' UPDATE_SECRET and RELOAD_CONSUMERS are.
     */
    static PlanStep gate(RolloutSpec rollout) {
        return PlanStep.of(WAVE_GATE).waitingLong().withoutCompensation()
                .timeout(rollout.gate().timeoutDuration().plusMinutes(1)).attempts(1).backoff(ofSeconds(5));
    }

    /** Both of the above: a rollout's gates, and CHECK_BACKUP first. */
    public static Optional<Plan> forRotation(Strategy strategy, boolean dryRun, boolean reloads, RolloutSpec rollout,
            boolean backupCheck) {
        return forRotation(strategy, dryRun, reloads, rollout).map(p -> backupCheck ? p.withBackupCheck(CHECK) : p);
    }
}

package dev.rotor.sync.steps;

import static dev.rotor.sync.steps.TargetPlan.previousKey;
import static dev.rotor.sync.steps.TargetPlan.userKey;
import static dev.rotor.sync.steps.TargetPlan.variableKey;
import static dev.rotor.sync.steps.TargetPlan.versionKey;

import dev.rotor.contracts.messages.StepRequested;
import dev.rotor.contracts.messages.StepResult;
import dev.rotor.sync.store.Label;
import dev.rotor.sync.store.SecretStore;
import dev.rotor.sync.store.SecretVersion;
import dev.rotor.sync.store.VersionEditor;
import dev.rotor.sync.target.SecretTarget;
import dev.rotor.sync.target.LineChange;
import java.util.List;
import java.util.UUID;

/**
 * UPDATE_SECRET: pending becomes current, the old current becomes previous (keepPrevious) or retired, and the targets
 * get the new value (and the old one, or an empty value, under {@code previous-variable}).
 *
 * <p>Idempotent by state, keyed on {@code (rotationId, toVersion)}: a replay finds the labels already moved and pushes
 * the same values again, which leaves the files unchanged. Before the first change it saves, inside the store and
 * under this rotation's id, what each target line held (and the old version's material when it is about to be
 * destroyed), so the compensation restores exactly that, and is a no-op when the forward never ran.
 *
 * <p>Without a previous ({@code immediate}, {@code credential}) UPDATE_SECRET is the plan's last step, so once the
 * targets hold the new value nothing can compensate it any more: the undo copies, which hold the old value, are
 * destroyed then, not at the next rotation (design §10). A compensation that still arrives (a reply that was lost)
 * fails without changing anything, naming the destroyed version.
 */
final class UpdateSecretHandler {
    private UpdateSecretHandler() {
    }

    static StepResult forward(StepRequested cmd, SecretStore store, List<SecretTarget> targets) {
        Integer to = cmd.spec().toVersion();
        if (to == null) {
            throw new StepException("UPDATE_SECRET for " + cmd.spec().secretId() + " has no spec.toVersion", false);
        }
        boolean keep = cmd.spec().keepPrevious();
        UUID rotation = cmd.rotationId();
        Integer[] from = {cmd.spec().fromVersion()};
        TargetPlan plan = store.update(cmd.spec().store().path(), ed -> {
            SecretVersion next = ed.version(to).orElseThrow(() -> new StepException(
                    "secret " + cmd.spec().secretId() + " has no version " + to, false));
            if (from[0] == null) {
                from[0] = next.basedOn(); // the version that was current when this one was staged
            }
            snapshot(ed, rotation, targets);
            if (next.label() == Label.PENDING) {
                promote(ed, to, from[0], keep, rotation);
                // alternating-users: consumers switch to the role APPLY_CREDENTIAL gave this version
                ed.attribute(ApplyCredentialHandler.roleKey(to))
                        .ifPresent(role -> ed.setAttribute(ApplyCredentialHandler.ACTIVE_ROLE, role));
            } else if (next.label() != Label.CURRENT) {
                throw new StepException("version " + to + " of " + cmd.spec().secretId() + " is "
                        + next.label().wireName() + ", not pending", false);
            }
            String value = ed.value(to);
            String old = keep && from[0] != null ? ed.value(from[0]) : null;
            // alternating-users: the user name travels with the password, in the same write.
            LineChange user = ed.attribute(ApplyCredentialHandler.roleKey(to)).map(LineChange::set)
                    .orElse(LineChange.keep());
            TargetPlan p = new TargetPlan();
            targets.forEach(t -> p.add(t, LineChange.set(value), old == null ? LineChange.clear() : LineChange.set(old),
                    user));
            return p;
        });
        plan.apply();
        if (!keep) {
            forgetOldValue(cmd, store, targets);
        }
        return cmd.succeeded(from[0], to, "version " + to + " is current" + (keep && from[0] != null
                ? ", version " + from[0] + " kept as previous" : ""));
    }

    static StepResult compensate(StepRequested cmd, SecretStore store, List<SecretTarget> targets) {
        Integer to = cmd.spec().toVersion();
        Integer from = cmd.spec().fromVersion();
        UUID rotation = cmd.rotationId();
        TargetPlan plan = store.update(cmd.spec().store().path(), ed -> {
            if (to != null && ed.version(to).map(v -> v.label() == Label.CURRENT).orElse(false)) {
                ed.relabel(to, Label.PENDING, rotation);
                switchBack(ed, cmd, to);
            }
            if (from != null && ed.version(from).map(v -> v.label() != Label.CURRENT).orElse(false)) {
                if (ed.version(from).get().destroyed()) {
                    if (!ed.hasSnapshot(rotation, versionKey(from))) {
                        throw new StepException("version " + from + " of " + cmd.spec().secretId()
                                + " was destroyed and cannot be restored (an immediate or credential rotation destroys"
                                + " the old value once UPDATE_SECRET succeeded); nothing was changed", false);
                    }
                    ed.restoreMaterial(from, ed.snapshot(rotation, versionKey(from)));
                }
                ed.relabel(from, Label.CURRENT, rotation);
            }
            TargetPlan p = new TargetPlan();
            for (int i = 0; i < targets.size(); i++) {
                p.add(targets.get(i), restore(ed, rotation, variableKey(i)), restore(ed, rotation, previousKey(i)),
                        restore(ed, rotation, userKey(i)));
            }
            return p;
        });
        plan.apply();
        return cmd.compensated("version " + from + " is current again" + (to == null ? "" : ", version " + to
                + " is pending"));
    }

    /**
     * A rollback's UPDATE_SECRET ({@code spec.undoOf}): the compensation of the undone rotation's UPDATE_SECRET, run
     * under that rotation's id, so it restores what that rotation saved before its change (the targets' lines) and
     * makes its {@code fromVersion} current again, its {@code toVersion} pending. Only while that rotation kept its
     * previous version (its snapshots live until RETIRE_PREVIOUS). Idempotent as the compensation is. A rollback is
     * not undone: its COMPENSATE changes nothing.
     */
    static StepResult undo(StepRequested cmd, SecretStore store, List<SecretTarget> targets) {
        if (cmd.direction() != dev.rotor.contracts.messages.Direction.FORWARD) {
            return cmd.compensated("nothing to undo: a rollback is not rolled back");
        }
        Integer from = cmd.spec().fromVersion();
        boolean restorable = from != null && store.versions(cmd.spec().store().path()).stream()
                .anyMatch(v -> v.version() == from && !v.destroyed()
                        && (v.label() == Label.PREVIOUS || v.label() == Label.CURRENT));
        if (!restorable) {
            throw new StepException("version " + from + " of " + cmd.spec().secretId() + " is no longer kept as"
                    + " previous (retired or destroyed); nothing was changed", false);
        }
        StepRequested undone = new StepRequested(cmd.spec().undoOf(), cmd.step(), cmd.attempt(),
                dev.rotor.contracts.messages.Direction.COMPENSATE, cmd.spec(), cmd.requestedAt());
        StepResult result = compensate(undone, store, targets);
        String detail = result instanceof dev.rotor.contracts.messages.StepCompensated c ? c.detail()
                : "version " + from + " is current again";
        return cmd.succeeded(from, cmd.spec().toVersion(), detail);
    }

    /**
     * The rotation is past compensation: the targets' earlier copies of what they held, then the undo copies, go.
     * In one store change, so a target that fails leaves the undo copies in place for the retry.
     */
    private static void forgetOldValue(StepRequested cmd, SecretStore store, List<SecretTarget> targets) {
        store.update(cmd.spec().store().path(), ed -> {
            for (int i = 0; i < targets.size(); i++) {
                targets.get(i).destroyEarlier(ed.snapshot(cmd.rotationId(), variableKey(i)));
            }
            ed.dropSnapshotsExcept(null);
            return null;
        });
    }

    private static void promote(VersionEditor ed, int to, Integer from, boolean keep, UUID rotation) {
        // Only one previous can be in grace: the targets have one previous-variable.
        ed.labelled(Label.PREVIOUS).ifPresent(p -> ed.relabel(p.version(), Label.RETIRED, rotation));
        if (from != null && ed.version(from).map(v -> v.label() == Label.CURRENT).orElse(false)) {
            if (!keep) {
                ed.saveSnapshot(rotation, versionKey(from), ed.value(from));
            }
            ed.relabel(from, keep ? Label.PREVIOUS : Label.RETIRED, rotation);
        }
        ed.labelled(Label.CURRENT).filter(c -> c.version() != to)
                .ifPresent(c -> ed.relabel(c.version(), Label.RETIRED, rotation));
        ed.relabel(to, Label.CURRENT, rotation);
    }

    /** alternating-users: the active role goes back to the other of the two roles. */
    private static void switchBack(VersionEditor ed, StepRequested cmd, int to) {
        var roles = cmd.spec().credential() == null ? null : cmd.spec().credential().roles();
        ed.attribute(ApplyCredentialHandler.roleKey(to)).filter(r -> roles != null && roles.size() == 2)
                .ifPresent(r -> ed.setAttribute(ApplyCredentialHandler.ACTIVE_ROLE,
                        roles.get(0).equals(r) ? roles.get(1) : roles.get(0)));
    }

    private static void snapshot(VersionEditor ed, UUID rotation, List<SecretTarget> targets) {
        for (int i = 0; i < targets.size(); i++) {
            SecretTarget t = targets.get(i);
            if (!ed.hasSnapshot(rotation, variableKey(i))) {
                ed.saveSnapshot(rotation, variableKey(i), t.currentValue().orElse(null));
                if (t.hasPrevious()) {
                    ed.saveSnapshot(rotation, previousKey(i), t.previousValue().orElse(null));
                }
                if (t.hasUser()) {
                    ed.saveSnapshot(rotation, userKey(i), t.userValue().orElse(null));
                }
            }
        }
    }

    private static LineChange restore(VersionEditor ed, UUID rotation, String key) {
        return ed.hasSnapshot(rotation, key) ? LineChange.restore(ed.snapshot(rotation, key)) : LineChange.keep();
    }
}

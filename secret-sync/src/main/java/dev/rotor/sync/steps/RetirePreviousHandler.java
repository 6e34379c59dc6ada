package dev.rotor.sync.steps;

import dev.rotor.contracts.messages.StepRequested;
import dev.rotor.contracts.messages.StepResult;
import dev.rotor.sync.store.Label;
import dev.rotor.sync.store.SecretStore;
import dev.rotor.sync.store.SecretVersion;
import dev.rotor.sync.target.SecretTarget;
import dev.rotor.sync.target.LineChange;
import java.util.List;

/**
 * RETIRE_PREVIOUS: the previous version becomes retired (its material destroyed, its metadata kept, and the copies
 * of it that a target keeps besides its live value destroyed too) and the targets' {@code previous-variable} is
 * cleared.
 *
 * <p>Idempotent by state, keyed on {@code (secret path, fromVersion)}: a version already retired is answered as done
 * and the clearing is repeated, which leaves the file unchanged. It clears {@code previous-variable} only when no
 * version is left in grace, so a late retirement never clears the previous value of a newer rotation. It is the
 * pivot: its compensation has nothing to undo. It drops this rotation's undo copies only: the newer rotation that made
 * it due runs at the same time, possibly on another replica, and keeps its own (older ones went at that one's STAGE).
 */
final class RetirePreviousHandler {
    private RetirePreviousHandler() {
    }

    /** What the store change decided: whether the targets' previous-variable can be cleared, and what is current. */
    private record Outcome(boolean clearPrevious, Integer current) {
    }

    static StepResult forward(StepRequested cmd, SecretStore store, List<SecretTarget> targets) {
        Integer[] retired = {cmd.spec().fromVersion()};
        Outcome outcome = store.update(cmd.spec().store().path(), ed -> {
            if (retired[0] == null) {
                retired[0] = ed.labelled(Label.PREVIOUS).map(SecretVersion::version).orElse(null);
            }
            if (retired[0] != null) {
                SecretVersion v = ed.version(retired[0]).orElseThrow(() -> new StepException(
                        "secret " + cmd.spec().secretId() + " has no version " + retired[0], false));
                if (v.label() == Label.CURRENT || v.label() == Label.PENDING) {
                    throw new StepException("version " + v.version() + " of " + cmd.spec().secretId() + " is "
                            + v.label().wireName() + "; only a previous version can be retired", false);
                }
                String value = v.destroyed() ? null : ed.value(v.version()); // read while it still exists
                ed.relabel(v.version(), Label.RETIRED, cmd.rotationId());
                if (value != null && ed.version(v.version()).map(SecretVersion::destroyed).orElse(false)) {
                    // Inside the change: a target that fails leaves the version in place for the retry.
                    targets.forEach(t -> t.destroyEarlier(value)); // not for an archiving store, which keeps it
                }
            }
            // Past the pivot this rotation is compensated no more, so its undo copies go. Only its own: a newer
            // rotation, which made this retirement due as it started, may be running and need its copies.
            ed.dropSnapshotsOf(cmd.rotationId());
            return new Outcome(ed.labelled(Label.PREVIOUS).isEmpty(),
                    ed.labelled(Label.CURRENT).map(SecretVersion::version).orElse(null));
        });
        if (outcome.clearPrevious()) {
            targets.stream().filter(SecretTarget::hasPrevious)
                    .forEach(t -> t.write(LineChange.keep(), LineChange.clear()));
        }
        return cmd.succeeded(retired[0], outcome.current(), retired[0] == null ? "no previous version to retire"
                : "version " + retired[0] + " retired");
    }

    static StepResult compensate(StepRequested cmd) {
        return cmd.compensated("retirement is the pivot and is not undone");
    }
}

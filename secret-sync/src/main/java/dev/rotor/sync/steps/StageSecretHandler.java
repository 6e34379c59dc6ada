package dev.rotor.sync.steps;

import dev.rotor.contracts.messages.StepRequested;
import dev.rotor.contracts.messages.StepResult;
import dev.rotor.sync.generate.EntropyPolicy;
import dev.rotor.sync.generate.Generators;
import dev.rotor.sync.store.Label;
import dev.rotor.sync.store.SecretStore;
import dev.rotor.sync.store.SecretVersion;
import dev.rotor.sync.store.VersionEditor;
import dev.rotor.sync.target.SecretTarget;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * STAGE_SECRET: adopt the first target's value as version 1 when the store is empty, then store a generated value
 * as the next version, labelled {@code pending}.
 *
 * <p>De-duplicates on the rotation id: the store records which rotation created each version ({@code createdBy}), so
 * a repeated or replayed command (any attempt) finds that version and answers the same {@code (from, to)} without
 * generating again. The compensation is keyed the same way and is a no-op when nothing was staged.
 */
final class StageSecretHandler {
    private StageSecretHandler() {
    }

    static StepResult forward(StepRequested cmd, SecretStore store, List<SecretTarget> targets) {
        UUID rotation = cmd.rotationId();
        EntropyPolicy.check(cmd.spec().generator()); // before any change: a weak spec never produces a value
        return store.update(cmd.spec().store().path(), ed -> {
            Optional<SecretVersion> mine = ed.createdBy(rotation);
            if (mine.isPresent()) {
                return cmd.succeeded(mine.get().basedOn(), mine.get().version(),
                        "version " + mine.get().version() + " was already staged by this rotation");
            }
            // Only one rotation of a secret runs at a time, so older undo copies and a stale pending are dead.
            ed.dropSnapshotsExcept(rotation);
            ed.labelled(Label.PENDING).ifPresent(stale -> ed.relabel(stale.version(), Label.RETIRED, rotation));
            Integer from = ed.labelled(Label.CURRENT).map(SecretVersion::version).orElse(null);
            String adoptedNote = "";
            if (from == null && ed.versions().isEmpty() && !targets.isEmpty()) {
                from = adopt(ed, targets.get(0));
                adoptedNote = from == null ? "" : ", adopted the value of " + targets.get(0).describe()
                        + " as version " + from;
            }
            SecretVersion staged = ed.add(Generators.generate(cmd.spec().generator()), Label.PENDING, rotation,
                    from, false);
            return cmd.succeeded(from, staged.version(), "staged version " + staged.version() + adoptedNote);
        });
    }

    static StepResult compensate(StepRequested cmd, SecretStore store) {
        UUID rotation = cmd.rotationId();
        return store.update(cmd.spec().store().path(), ed -> {
            Optional<SecretVersion> mine = ed.createdBy(rotation);
            if (mine.isEmpty() || mine.get().label() == Label.RETIRED) {
                return cmd.compensated("nothing staged by this rotation is left");
            }
            SecretVersion v = mine.get();
            if (v.label() != Label.PENDING) {
                throw new StepException("version " + v.version() + " of " + cmd.spec().secretId() + " is "
                        + v.label().wireName() + "; compensate UPDATE_SECRET first", false);
            }
            ed.relabel(v.version(), Label.RETIRED, rotation);
            return cmd.compensated("discarded pending version " + v.version());
        });
    }

    private static Integer adopt(VersionEditor ed, SecretTarget first) {
        return first.currentValue().filter(v -> !v.isEmpty())
                .map(v -> ed.add(v, Label.CURRENT, null, null, true).version())
                .orElse(null);
    }
}

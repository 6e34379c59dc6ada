package dev.rotor.reencrypt.engine;

import dev.rotor.contracts.cipher.ColumnCodec;
import dev.rotor.contracts.cipher.MasterKey;
import java.util.List;
import java.util.Objects;

/**
 * One re-encryption: every column from the {@code from} key to the {@code to} key. A compensation is the same job
 * with the keys swapped.
 *
 * @param shadow the tag of the {@link Shadow} tables the job writes the old ciphertexts to before it overwrites
 *     them (the rotation's id); null for no shadow (a dry run writes none whatever this says)
 */
public record ReencryptJob(ColumnCodec codec, List<ColumnTarget> columns, Mode mode, boolean dryRun, MasterKey from,
        MasterKey to, String shadow) {
    public ReencryptJob {
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        columns = List.copyOf(columns);
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("reencrypt.columns is empty");
        }
    }

    /** A job without a shadow. */
    public ReencryptJob(ColumnCodec codec, List<ColumnTarget> columns, Mode mode, boolean dryRun, MasterKey from,
            MasterKey to) {
        this(codec, columns, mode, dryRun, from, to, null);
    }

    /** This job writing its old ciphertexts to the shadow {@code tag}. */
    public ReencryptJob shadowed(String tag) {
        return new ReencryptJob(codec, columns, mode, dryRun, from, to, tag);
    }

    /** This job with other instances of its keys (the same versions). */
    public ReencryptJob withKeys(MasterKey from, MasterKey to) {
        if (from.version() != this.from.version() || to.version() != this.to.version()) {
            throw new IllegalArgumentException("withKeys keeps the key versions " + this.from.version() + " and "
                    + this.to.version());
        }
        return new ReencryptJob(codec, columns, mode, dryRun, from, to, shadow);
    }

    /** The way back: the same columns and mode, from {@code to} to {@code from}, writing no shadow. */
    public ReencryptJob reversed() {
        return new ReencryptJob(codec, columns, mode, dryRun, to, from, null);
    }

    /** The shadow this job writes, or null. */
    String shadowWritten() {
        return dryRun ? null : shadow;
    }
}

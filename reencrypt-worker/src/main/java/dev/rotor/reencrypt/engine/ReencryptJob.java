package dev.rotor.reencrypt.engine;

import dev.rotor.contracts.cipher.ColumnCodec;
import dev.rotor.contracts.cipher.MasterKey;
import java.util.List;
import java.util.Objects;

/**
 * One re-encryption: every column from the {@code from} key to the {@code to} key. A compensation is the same job
 * with the keys swapped.
 */
public record ReencryptJob(ColumnCodec codec, List<ColumnTarget> columns, Mode mode, boolean dryRun, MasterKey from,
        MasterKey to) {
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

    /** The way back: the same columns and mode, from {@code to} to {@code from}. */
    public ReencryptJob reversed() {
        return new ReencryptJob(codec, columns, mode, dryRun, to, from);
    }
}

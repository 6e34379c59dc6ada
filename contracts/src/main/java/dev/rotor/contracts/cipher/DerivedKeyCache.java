package dev.rotor.contracts.cipher;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Column keys, derived once per (codec, master key version, table label, column label) and shared by every thread.
 * Never per row: the row id is not part of a column key. A cache holds the keys of one keyring, where a version names
 * exactly one key; a different key presented under a cached version is refused rather than silently given the cached
 * key, which would turn a rotation into a no-op that still verifies.
 */
public final class DerivedKeyCache {
    private record Slot(String codec, int keyVersion, String tableLabel, String columnLabel) {
    }

    private record Entry(MasterKey master, ColumnKey key) {
    }

    private final ConcurrentHashMap<Slot, Entry> entries = new ConcurrentHashMap<>();
    private final LongAdder derivations = new LongAdder();

    /**
     * The column key for these labels, derived on first use.
     *
     * @throws IllegalStateException if another key with the same version was cached first
     */
    public ColumnKey get(ColumnCodec codec, MasterKey master, String tableLabel, String columnLabel) {
        Slot slot = new Slot(codec.name(), master.version(), tableLabel, columnLabel);
        Entry entry = entries.computeIfAbsent(slot, s -> {
            ColumnKey key = codec.deriveKey(master, tableLabel, columnLabel);
            derivations.increment();
            return new Entry(master, key);
        });
        if (entry.master() != master && !entry.master().sameSecretAs(master)) {
            throw new IllegalStateException("two different master keys are both version " + master.version()
                    + "; a key version must name exactly one key");
        }
        return entry.key();
    }

    /** Drops every column key of a retired master key version. */
    public void evict(int keyVersion) {
        entries.keySet().removeIf(slot -> slot.keyVersion() == keyVersion);
    }

    /** How many column keys were derived since this cache was made. */
    public long derivations() {
        return derivations.sum();
    }

    public int size() {
        return entries.size();
    }
}

package dev.rotor.sync.vault;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The undo copies of one store secret (what each target held before a rotation changed it, and the old material an
 * immediate update destroys) in Vault itself, at {@code <mount>/data/rotor-undo/<path>}: one field
 * {@code <rotationId>/<key>} per copy. Kept beside the secret rather than in a replica's local keystore, so that
 * whichever secret-sync replica receives a compensation or a redelivered command finds the copies another replica
 * saved. They are material, so only the newest version is live: each save writes a new version ({@code cas} on the
 * one it read) and destroys the older ones, and dropping the last copy destroys them all.
 *
 * <p>Read lazily, once per store change; {@link #flush()} writes it before the change's labels.
 */
final class VaultUndo {
    static final String PREFIX = "rotor-undo/";
    /** A line that was absent is stored as this; a present value as {@code "=" + value}. */
    private static final String ABSENT = "-";

    private final VaultClient client;
    private final KvPath kv;
    private Map<String, String> copies;
    private KvMetadata state;
    private boolean dirty;

    VaultUndo(VaultClient client, KvPath store) {
        this.client = client;
        this.kv = new KvPath(store.mount(), PREFIX + store.path());
    }

    void save(UUID rotation, String key, String value) {
        if (copies().putIfAbsent(field(rotation, key), value == null ? ABSENT : "=" + value) == null) {
            dirty = true;
        }
    }

    boolean has(UUID rotation, String key) {
        return copies().containsKey(field(rotation, key));
    }

    /** The saved value, null when the line was absent (or nothing was saved). */
    String get(UUID rotation, String key) {
        String raw = copies().get(field(rotation, key));
        return raw == null || raw.equals(ABSENT) ? null : raw.substring(1);
    }

    /** Drops the copies of every rotation but {@code keep} (null drops all). */
    void dropExcept(UUID keep) {
        String mine = keep == null ? null : keep + "/";
        dirty |= copies().keySet().removeIf(k -> mine == null || !k.startsWith(mine));
    }

    /** Drops the copies of this rotation only. */
    void dropOf(UUID rotation) {
        String mine = rotation + "/";
        dirty |= copies().keySet().removeIf(k -> k.startsWith(mine));
    }

    /** Writes the copies as a new version and destroys the older ones; nothing when unchanged. */
    void flush() {
        if (!dirty) {
            return;
        }
        if (!copies.isEmpty()) {
            client.write(kv, copies, state.currentVersion());
        }
        int[] older = state.versions().entrySet().stream().filter(e -> !e.getValue().destroyed())
                .mapToInt(Map.Entry::getKey).toArray();
        if (older.length > 0) {
            client.destroy(kv, older);
        }
        dirty = false;
    }

    private Map<String, String> copies() {
        if (copies == null) {
            state = client.metadata(kv).orElseGet(KvMetadata::empty);
            copies = new LinkedHashMap<>();
            if (state.currentVersion() > 0 && !state.destroyed((int) state.currentVersion())) {
                client.read(kv, null).ifPresent(v -> copies.putAll(v.fields()));
            }
        }
        return copies;
    }

    private static String field(UUID rotation, String key) {
        return rotation + "/" + key;
    }
}

package dev.rotor.sync.store;

import dev.rotor.contracts.store.LocalStoreFormat;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Edits one secret's history inside {@link LocalKeystoreStore#update}; the store persists it afterwards. It works on a
 * private copy of the history and a private overlay of keystore entries, so a change that throws leaves nothing
 * behind, even while other secrets' changes are being committed.
 */
final class KeystoreEditor implements VersionEditor {
    /** The keystore entries as this change sees them. */
    interface Materials {
        byte[] get(String alias);

        void put(String alias, byte[] material);

        void delete(String alias);
    }

    private final Materials store;
    private final String path;
    private final StoreIndex.History history;
    private boolean dirty;

    KeystoreEditor(Materials store, String path, StoreIndex.History history) {
        this.store = store;
        this.path = path;
        this.history = history;
    }

    boolean dirty() {
        return dirty;
    }

    StoreIndex.History history() {
        return history;
    }

    @Override
    public List<SecretVersion> versions() {
        return history.versions.stream().map(StoreIndex.Meta::view).toList();
    }

    @Override
    public Optional<SecretVersion> version(int number) {
        return meta(number).map(StoreIndex.Meta::view);
    }

    @Override
    public Optional<SecretVersion> labelled(Label label) {
        return history.versions.stream().filter(m -> m.label == label)
                .max(Comparator.comparingInt(m -> m.version)).map(StoreIndex.Meta::view);
    }

    @Override
    public Optional<SecretVersion> createdBy(UUID rotationId) {
        return history.versions.stream().filter(m -> rotationId.equals(m.createdBy)).findFirst()
                .map(StoreIndex.Meta::view);
    }

    @Override
    public String value(int number) {
        StoreIndex.Meta m = meta(number)
                .orElseThrow(() -> new StoreException("secret " + path + " has no version " + number, false));
        byte[] raw = m.destroyed ? null : store.get(LocalStoreFormat.versionAlias(path, number));
        if (raw == null) {
            throw new StoreException("version " + number + " of secret " + path + " has no material (retired)", false);
        }
        return new String(raw, StandardCharsets.UTF_8);
    }

    @Override
    public SecretVersion add(String value, Label label, UUID createdBy, Integer basedOn, boolean adopted) {
        StoreIndex.Meta m = new StoreIndex.Meta();
        m.version = history.versions.stream().mapToInt(v -> v.version).max().orElse(0) + 1;
        m.label = label;
        m.createdAt = Instant.now();
        m.promotedAt = label == Label.CURRENT ? m.createdAt : null;
        m.createdBy = createdBy;
        m.basedOn = basedOn;
        m.adopted = adopted;
        store.put(LocalStoreFormat.versionAlias(path, m.version), value.getBytes(StandardCharsets.UTF_8));
        history.versions.add(m);
        dirty = true;
        return m.view();
    }

    @Override
    public void relabel(int number, Label label, UUID rotationId) {
        StoreIndex.Meta m = meta(number)
                .orElseThrow(() -> new StoreException("secret " + path + " has no version " + number, false));
        if (m.label == label) {
            return;
        }
        if (m.destroyed && label != Label.RETIRED) {
            throw new StoreException("version " + number + " of secret " + path + " was destroyed", false);
        }
        Instant now = Instant.now();
        if (label == Label.CURRENT) {
            m.promotedAt = now;
            m.promotedBy = rotationId;
        }
        if (label == Label.RETIRED) {
            m.retiredAt = now;
            m.destroyed = true;
            store.delete(LocalStoreFormat.versionAlias(path, number));
        } else {
            m.retiredAt = null;
        }
        m.label = label;
        dirty = true;
    }

    @Override
    public void restoreMaterial(int number, String value) {
        StoreIndex.Meta m = meta(number)
                .orElseThrow(() -> new StoreException("secret " + path + " has no version " + number, false));
        store.put(LocalStoreFormat.versionAlias(path, number), value.getBytes(StandardCharsets.UTF_8));
        m.destroyed = false;
        dirty = true;
    }

    @Override
    public void saveSnapshot(UUID rotationId, String key, String value) {
        Map<String, Boolean> keys = history.snapshots.computeIfAbsent(rotationId, r -> new LinkedHashMap<>());
        if (keys.containsKey(key)) {
            return;
        }
        keys.put(key, value != null);
        if (value != null) {
            // Prefixed so an empty line value can still be a (non-empty) key entry.
            store.put(LocalStoreFormat.snapshotAlias(path, rotationId, key), ("=" + value).getBytes(StandardCharsets.UTF_8));
        }
        dirty = true;
    }

    @Override
    public boolean hasSnapshot(UUID rotationId, String key) {
        return history.snapshots.getOrDefault(rotationId, Map.of()).containsKey(key);
    }

    @Override
    public String snapshot(UUID rotationId, String key) {
        if (!Boolean.TRUE.equals(history.snapshots.getOrDefault(rotationId, Map.of()).get(key))) {
            return null;
        }
        byte[] raw = store.get(LocalStoreFormat.snapshotAlias(path, rotationId, key));
        return raw == null ? null : new String(raw, StandardCharsets.UTF_8).substring(1);
    }

    @Override
    public void dropSnapshotsExcept(UUID keep) {
        history.snapshots.entrySet().removeIf(e -> {
            if (e.getKey().equals(keep)) {
                return false;
            }
            e.getValue().keySet().forEach(k -> store.delete(LocalStoreFormat.snapshotAlias(path, e.getKey(), k)));
            dirty = true;
            return true;
        });
    }

    @Override
    public void dropSnapshotsOf(UUID rotationId) {
        Map<String, Boolean> keys = history.snapshots.remove(rotationId);
        if (keys != null) {
            keys.keySet().forEach(k -> store.delete(LocalStoreFormat.snapshotAlias(path, rotationId, k)));
            dirty = true;
        }
    }

    @Override
    public Optional<String> attribute(String key) {
        return Optional.ofNullable(history.attributes.get(key));
    }

    @Override
    public void setAttribute(String key, String value) {
        if (java.util.Objects.equals(history.attributes.get(key), value)) {
            return;
        }
        if (value == null) {
            history.attributes.remove(key);
        } else {
            history.attributes.put(key, value);
        }
        dirty = true;
    }

    private Optional<StoreIndex.Meta> meta(int number) {
        return history.versions.stream().filter(m -> m.version == number).findFirst();
    }
}

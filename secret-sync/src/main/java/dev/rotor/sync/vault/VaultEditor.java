package dev.rotor.sync.vault;

import dev.rotor.sync.store.Label;
import dev.rotor.sync.store.SecretVersion;
import dev.rotor.sync.store.StoreException;
import dev.rotor.sync.store.VersionEditor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Edits one Vault secret inside {@link VaultKvStore#update}. New versions are written at once with {@code cas} (the
 * number is Vault's); label moves only touch the records and are written as one {@code custom_metadata} update by
 * {@link #commit()}; destroys and soft deletes run after that write, so a failed change never loses material, and
 * versions written by a change that failed before its labels were written are destroyed ({@link #discardUnlabelled}).
 * A process that dies between a new version and its labels cannot do that itself: before its first new version a
 * change records {@code rotor.writing} (the first number it will get) in {@code custom_metadata}, and the next change
 * of the secret, on whichever replica, destroys the unlabelled versions from that number on
 * ({@link #recoverInterruptedWrite}) and clears the mark. Undo copies of target values are material, not metadata:
 * they live in Vault beside the secret ({@link VaultUndo}), never in one replica's local keystore.
 */
final class VaultEditor implements VersionEditor {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(VaultEditor.class);
    /** Set while a change writes new versions, cleared by its labels. */
    static final String WRITING = VaultLabels.PREFIX + "writing";
    private final VaultClient client;
    private final KvPath kv;
    private final boolean archive;
    private final KvMetadata kvState;
    private final VaultLabels labels;
    private final VaultUndo undo;
    private final Set<Integer> destroyedNow = new HashSet<>();
    /** Versions this change wrote, in order; they are unlabelled until {@link #commit()} wrote the labels. */
    private final List<Integer> written = new ArrayList<>();
    private boolean labelsWritten;
    private boolean writeAnnounced;
    private long newest;
    private boolean dirty;

    VaultEditor(VaultClient client, KvPath kv, boolean archive, KvMetadata kvState) {
        this.client = client;
        this.kv = kv;
        this.archive = archive;
        this.kvState = kvState;
        this.labels = VaultLabels.parse(kvState.custom(), kv.metadata());
        this.newest = kvState.currentVersion();
        this.undo = new VaultUndo(client, kv);
    }

    /**
     * Finishes what a change that died between writing a version and writing its labels left: every version from
     * the recorded {@code rotor.writing} number on that has no Rotor record is live material nobody tracks, so it is
     * destroyed (the redelivered command stages a new one), and this change's labels clear the mark. Versions
     * written by someone else without that mark are left alone: the {@code cas} of Rotor's next write reports them.
     */
    void recoverInterruptedWrite() {
        String mark = kvState.custom().get(WRITING);
        if (mark == null) {
            return;
        }
        int first;
        try {
            first = Integer.parseInt(mark.strip());
        } catch (NumberFormatException e) {
            throw new StoreException("custom_metadata key " + WRITING + " of " + kv.metadata()
                    + " is not a version number", false);
        }
        int[] orphans = kvState.versions().entrySet().stream()
                .filter(e -> e.getKey() >= first && !labels.versions.containsKey(e.getKey())
                        && !e.getValue().destroyed())
                .mapToInt(Map.Entry::getKey).toArray();
        if (orphans.length > 0) {
            client.destroy(kv, orphans);
            destroyedNow.addAll(java.util.Arrays.stream(orphans).boxed().toList());
            LOG.warnf("destroyed versions %s of %s: written by a change that stopped before labelling them",
                    java.util.Arrays.toString(orphans), kv.data());
        }
        dirty = true; // the labels this change writes no longer carry the mark
    }

    @Override
    public List<SecretVersion> versions() {
        return labels.views();
    }

    @Override
    public Optional<SecretVersion> version(int number) {
        return Optional.ofNullable(labels.versions.get(number)).map(r -> r.view(number));
    }

    @Override
    public Optional<SecretVersion> labelled(Label label) {
        return versions().stream().filter(v -> v.label() == label).max(Comparator.comparingInt(SecretVersion::version));
    }

    @Override
    public Optional<SecretVersion> createdBy(UUID rotationId) {
        return versions().stream().filter(v -> rotationId.equals(v.createdBy())).findFirst();
    }

    @Override
    public String value(int number) {
        VaultLabels.Record r = record(number);
        if (r.destroyed || kvState.destroyed(number)) {
            throw new StoreException("version " + number + " of " + kv.data() + " has no material (retired)", false);
        }
        return VaultKvStore.field(client, kv, number);
    }

    @Override
    public SecretVersion add(String value, Label label, UUID createdBy, Integer basedOn, boolean adopted) {
        announceWrite();
        int number = client.write(kv, Map.of(client.options().field(), value), newest);
        newest = number;
        written.add(number);
        VaultLabels.Record r = new VaultLabels.Record();
        r.label = label;
        r.created = Instant.now();
        r.promoted = label == Label.CURRENT ? r.created : null;
        r.createdBy = createdBy;
        r.basedOn = basedOn;
        r.adopted = adopted;
        labels.versions.put(number, r);
        dirty = true;
        return r.view(number);
    }

    @Override
    public void relabel(int number, Label label, UUID rotationId) {
        VaultLabels.Record r = record(number);
        if (r.label == label) {
            return;
        }
        if (r.destroyed && label != Label.RETIRED) {
            throw new StoreException("version " + number + " of " + kv.data() + " was destroyed", false);
        }
        Instant now = Instant.now();
        if (label == Label.CURRENT) {
            r.promoted = now;
            r.promotedBy = rotationId;
        }
        if (label == Label.RETIRED) {
            r.retired = now;
            if (archive) {
                r.archiveUntil = now.plus(client.options().archiveRetention());
            } else {
                // Retiring the live version (an immediate update) may still be undone by this rotation: soft-delete
                // it until the rotation can no longer be compensated, then destroy it (see dropSnapshotsExcept).
                r.heldFor = r.label == Label.CURRENT ? rotationId : null;
                r.destroyed = true;
            }
        } else {
            r.retired = null;
        }
        r.label = label;
        dirty = true;
    }

    @Override
    public void restoreMaterial(int number, String value) {
        VaultLabels.Record r = record(number);
        if (!r.destroyed) {
            return; // archived: the material never left
        }
        if (r.heldFor == null || kvState.destroyed(number)) {
            throw new StoreException("version " + number + " of " + kv.data()
                    + " was destroyed in Vault and cannot be restored", false);
        }
        client.undelete(kv, number);
        r.heldFor = null;
        r.destroyed = false;
        dirty = true;
    }

    @Override
    public void saveSnapshot(UUID rotationId, String key, String value) {
        undo.save(rotationId, key, value);
    }

    @Override
    public boolean hasSnapshot(UUID rotationId, String key) {
        return undo.has(rotationId, key);
    }

    @Override
    public String snapshot(UUID rotationId, String key) {
        return undo.get(rotationId, key);
    }

    @Override
    public void dropSnapshotsExcept(UUID keep) {
        labels.versions.values().stream().filter(r -> r.heldFor != null && !r.heldFor.equals(keep)).forEach(r -> {
            r.heldFor = null; // the holding rotation is past compensation: commit destroys it
            dirty = true;
        });
        undo.dropExcept(keep);
    }

    @Override
    public void dropSnapshotsOf(UUID rotationId) {
        labels.versions.values().stream().filter(r -> rotationId.equals(r.heldFor)).forEach(r -> {
            r.heldFor = null;
            dirty = true;
        });
        undo.dropOf(rotationId);
    }

    @Override
    public Optional<String> attribute(String key) {
        return Optional.ofNullable(labels.attributes.get(key));
    }

    @Override
    public void setAttribute(String key, String value) {
        String old = value == null ? labels.attributes.remove(key) : labels.attributes.put(key, value);
        dirty |= !java.util.Objects.equals(old, value);
    }

    /**
     * Writes the undo copies, then the labels, then soft-deletes held versions and destroys retired ones whose archive
     * time is over. The copies go first: a target is only changed after the change that saved its copy is durable.
     */
    void commit() {
        Instant now = Instant.now();
        labels.versions.forEach((n, r) -> {
            if (r.label == Label.RETIRED && r.archiveUntil != null && r.archiveUntil.isBefore(now) && !r.destroyed) {
                r.destroyed = true;
                dirty = true;
            }
        });
        undo.flush();
        if (dirty) {
            client.writeCustomMetadata(kv, labels.render());
        }
        labelsWritten = true;
        labels.versions.forEach((n, r) -> {
            KvMetadata.State s = kvState.versions().get(n);
            boolean gone = kvState.destroyed(n) || destroyedNow.contains(n);
            if (r.label == Label.RETIRED && r.destroyed && !gone) {
                if (r.heldFor != null) {
                    if (s == null || !s.deleted()) {
                        client.delete(kv, n);
                    }
                } else {
                    client.destroy(kv, n);
                    destroyedNow.add(n);
                }
            }
        });
    }

    /**
     * After a change failed: the versions it wrote have no label, yet are live material, so they are destroyed (a
     * retry writes new ones). Once the labels are written they are Rotor's versions and stay. A destroy that fails
     * too is added to {@code failure} and logged with the path and numbers, for an operator to finish.
     */
    void discardUnlabelled(RuntimeException failure) {
        if (labelsWritten || written.isEmpty()) {
            return;
        }
        int[] versions = written.stream().mapToInt(Integer::intValue).toArray();
        try {
            client.destroy(kv, versions);
        } catch (RuntimeException cleanup) {
            failure.addSuppressed(cleanup);
            LOG.warnf("versions %s of %s were written by a failed change and could not be destroyed: %s", written,
                    kv.data(), cleanup.getMessage());
        }
    }

    /** Before the first new version of this change: records where its versions start ({@link #recoverInterruptedWrite}). */
    private void announceWrite() {
        if (writeAnnounced) {
            return;
        }
        Map<String, String> custom = new java.util.LinkedHashMap<>(kvState.custom());
        custom.put(WRITING, String.valueOf(newest + 1));
        client.writeCustomMetadata(kv, custom);
        writeAnnounced = true;
    }

    private VaultLabels.Record record(int number) {
        VaultLabels.Record r = labels.versions.get(number);
        if (r == null) {
            throw new StoreException(kv.data() + " has no version " + number + " known to Rotor", false);
        }
        return r;
    }
}

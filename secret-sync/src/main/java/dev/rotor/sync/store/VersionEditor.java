package dev.rotor.sync.store;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The edits of one secret allowed inside {@link SecretStore#update}. */
public interface VersionEditor {

    List<SecretVersion> versions();

    Optional<SecretVersion> version(int number);

    /** The newest version with this label. */
    Optional<SecretVersion> labelled(Label label);

    /** The version a rotation staged (its {@code createdBy}). */
    Optional<SecretVersion> createdBy(UUID rotationId);

    /** The material of a version; fails when it was destroyed. */
    String value(int number);

    /** Stores a new version numbered one past the highest so far. */
    SecretVersion add(String value, Label label, UUID createdBy, Integer basedOn, boolean adopted);

    /**
     * Moves a version to a label and stamps the time. {@link Label#RETIRED} destroys its material; moving a retired
     * version back needs {@link #restoreMaterial} first.
     */
    void relabel(int number, Label label, UUID rotationId);

    /** Puts the material of a destroyed version back (compensation of an immediate update). */
    void restoreMaterial(int number, String value);

    /**
     * Keeps a copy of what a target held before a rotation changed it, so the change can be undone exactly. Kept once:
     * a second call for the same key is ignored. {@code value} null means the line was absent.
     */
    void saveSnapshot(UUID rotationId, String key, String value);

    boolean hasSnapshot(UUID rotationId, String key);

    /** The saved value, null when the line was absent. */
    String snapshot(UUID rotationId, String key);

    /** Drops the snapshots of every rotation but {@code keep} (null drops all). */
    void dropSnapshotsExcept(UUID keep);

    /** Drops the snapshots of this rotation only (a newer rotation's stay). */
    void dropSnapshotsOf(UUID rotationId);

    /** A per-secret fact that is not material (e.g. {@code active-role}); empty when never set. */
    Optional<String> attribute(String key);

    /** Sets (or with null removes) a per-secret fact; stored with the labels, in the same change. */
    void setAttribute(String key, String value);
}

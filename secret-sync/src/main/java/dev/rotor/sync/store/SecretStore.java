package dev.rotor.sync.store;

import java.util.List;
import java.util.function.Function;

/**
 * Where the versions of secrets live. The {@code local} BCFKS keystore today; a Vault KV v2 store can implement the
 * same contract later.
 */
public interface SecretStore {

    /** The catalog's store type this store serves, e.g. {@code local}. */
    String type();

    /** Every version of a secret, oldest first; empty when the store holds none. Never material. */
    List<SecretVersion> versions(String path);

    /** The material of one version. */
    String read(String path, int version);

    /**
     * Runs a change of one secret under the store's single writer lock, and persists it atomically when the change
     * returns. When the change throws, nothing of it is kept.
     */
    <R> R update(String path, Function<VersionEditor, R> change);

    /** Opens the store if needed; throws when it cannot be used (wrong password, unwritable home). */
    void check();
}

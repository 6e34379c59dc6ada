package dev.rotor.sync.vault;

import dev.rotor.sync.store.StoreException;

/**
 * A {@code cas} write found another version than the one it meant to replace: someone else wrote the secret
 * meanwhile. Not retryable: Rotor never overwrites a concurrent writer; an operator decides which value wins.
 */
public class VaultCasConflictException extends StoreException {
    public VaultCasConflictException(KvPath path, long expected) {
        super("concurrent write detected on " + path.data() + ": expected to replace version " + expected
                + " (cas) but Vault holds a newer one; another writer changed the secret, nothing was overwritten",
                false);
    }
}

package dev.rotor.reencrypt.keys;

import dev.rotor.contracts.catalog.StoreRef;
import dev.rotor.contracts.cipher.Codecs;
import dev.rotor.contracts.cipher.ColumnCodec;
import dev.rotor.contracts.cipher.MasterKey;

/**
 * Reads master key versions from the store secret-sync owns. Read-only: this worker never changes the store.
 * Implementations never put key material in exceptions or logs.
 */
public interface KeyMaterialSource {

    /**
     * The master key stored as {@code version} of the secret at {@code store.path()}, read in the form {@code codec}
     * writes it ({@link ColumnCodec#readMasterKey}: 64 hex digits, or a Fernet key).
     *
     * @throws KeyUnavailableException when the store or the version cannot be read, or its value is not a key
     */
    MasterKey load(StoreRef store, int version, ColumnCodec codec);

    /** A hex master key, as {@code lockbox} and {@code rotor-v1} write it. */
    default MasterKey load(StoreRef store, int version) {
        return load(store, version, Codecs.lockbox());
    }
}

package dev.rotor.reencrypt.keys;

import dev.rotor.contracts.catalog.StoreRef;
import dev.rotor.contracts.cipher.Codecs;
import dev.rotor.contracts.cipher.ColumnCodec;
import dev.rotor.contracts.cipher.MasterKey;
import java.util.List;
import java.util.Map;

/**
 * Reads master key versions from the store secret-sync owns. Read-only: this worker never changes the store.
 * Implementations never put key material in exceptions or logs.
 */
public interface KeyMaterialSource {

    /**
     * The master keys stored as {@code versions}, read together where the store allows (the local store is opened
     * once); a version the store does not hold is absent from the map, any other failure throws.
     *
     * @throws KeyUnavailableException when the store cannot be read, or a value is not a key
     */
    Map<Integer, MasterKey> loadAll(StoreRef store, List<Integer> versions, ColumnCodec codec);

    /**
     * The master key stored as {@code version} of the secret at {@code store.path()}, read in the form {@code codec}
     * writes it ({@link ColumnCodec#readMasterKey}: 64 hex digits, or a Fernet key).
     *
     * @throws KeyUnavailableException when the store or the version cannot be read, or its value is not a key
     */
    default MasterKey load(StoreRef store, int version, ColumnCodec codec) {
        MasterKey key = loadAll(store, List.of(version), codec).get(version);
        if (key == null) {
            throw KeyUnavailableException.noSuchVersion(store, version);
        }
        return key;
    }

    /** A hex master key, as {@code lockbox} and {@code rotor-v1} write it. */
    default MasterKey load(StoreRef store, int version) {
        return load(store, version, Codecs.lockbox());
    }
}

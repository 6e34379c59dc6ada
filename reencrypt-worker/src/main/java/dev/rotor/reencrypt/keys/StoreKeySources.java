package dev.rotor.reencrypt.keys;

import dev.rotor.contracts.catalog.ReencryptSpec;
import dev.rotor.contracts.catalog.StoreRef;
import dev.rotor.contracts.cipher.ColumnCodec;
import dev.rotor.contracts.cipher.MasterKey;
import java.util.List;
import java.util.Map;

/**
 * Chooses the reader by the secret's {@code store.type}: {@code local} or {@code vault}. These are
 * {@link ReencryptSpec#READABLE_STORES}, the types the catalog accepts with a {@code reencrypt} section.
 */
public final class StoreKeySources implements KeyMaterialSource {
    private final Map<String, KeyMaterialSource> byType;

    public StoreKeySources(KeyMaterialSource local, KeyMaterialSource vault) {
        this.byType = Map.of("local", local, "vault", vault);
    }

    /** The store types this worker reads. */
    public java.util.Set<String> types() {
        return byType.keySet();
    }

    @Override
    public Map<Integer, MasterKey> loadAll(StoreRef store, List<Integer> versions, ColumnCodec codec) {
        String type = store == null || store.type() == null ? "" : store.type();
        KeyMaterialSource source = byType.get(type);
        if (source == null) {
            throw new KeyUnavailableException("store type '" + type + "' is not readable by reencrypt-worker (one of "
                    + String.join(", ", byType.keySet().stream().sorted().toList()) + ")", false);
        }
        return source.loadAll(store, versions, codec);
    }
}

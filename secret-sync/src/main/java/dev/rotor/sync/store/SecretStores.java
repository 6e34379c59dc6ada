package dev.rotor.sync.store;

import dev.rotor.contracts.catalog.StoreRef;
import dev.rotor.sync.config.SyncConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;

/** Picks the store a catalog entry names. Only {@code local} exists today; {@code vault} comes with issue 5. */
@ApplicationScoped
public class SecretStores {
    private final LocalKeystoreStore local;

    public SecretStores(SyncConfig config) {
        this.local = new LocalKeystoreStore(Path.of(config.home()), config.keystorePassword());
    }

    /**
     * The store for a catalog reference.
     *
     * @throws StoreException (not retryable) for a store type this build does not support
     */
    public SecretStore forRef(StoreRef ref) {
        String type = ref == null || ref.type() == null ? "" : ref.type();
        if (local.type().equals(type)) {
            return local;
        }
        throw new StoreException("store type '" + type + "' is not supported yet", false);
    }

    public LocalKeystoreStore local() {
        return local;
    }
}

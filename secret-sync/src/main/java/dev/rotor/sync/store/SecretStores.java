package dev.rotor.sync.store;

import dev.rotor.contracts.catalog.StoreRef;
import dev.rotor.sync.concurrent.KeyedLocks;
import dev.rotor.sync.config.SyncConfig;
import dev.rotor.sync.vault.VaultClient;
import dev.rotor.sync.vault.VaultKvStore;
import dev.rotor.sync.vault.VaultLease;
import dev.rotor.sync.vault.VaultOptions;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.Optional;

/** Picks the store a catalog entry names: {@code local} (BCFKS keystore) or {@code vault} (KV v2). */
@ApplicationScoped
public class SecretStores {
    private final LocalKeystoreStore local;
    private final VaultClient vault;
    private final boolean localEnabled;
    private final KeyedLocks<String> vaultLocks = VaultKvStore.newLocks();
    private final VaultLease vaultLease;

    @Inject
    public SecretStores(SyncConfig config) {
        this(new LocalKeystoreStore(Path.of(config.home()), config.keystorePassword(), config.keystoreCommitDelay()),
                VaultOptions.from(config.vault()).map(VaultClient::new).orElse(null), config.localStoreEnabled(),
                config.vault().lease());
    }

    /** For tests and tools: a given local store and Vault client (null when Vault is not configured). */
    public SecretStores(LocalKeystoreStore local, VaultClient vault) {
        this(local, vault, true, VaultLease.DEFAULT_LEASE);
    }

    /**
     * The same; {@code localEnabled} false refuses catalog entries on the local store (several replicas), and
     * {@code lease} is how long a replica holds a Vault secret while changing it.
     */
    public SecretStores(LocalKeystoreStore local, VaultClient vault, boolean localEnabled, java.time.Duration lease) {
        this.local = local;
        this.vault = vault;
        this.localEnabled = localEnabled;
        this.vaultLease = vault == null ? null : new VaultLease(vault, lease);
    }

    /**
     * The store for a catalog reference.
     *
     * @throws StoreException (not retryable) for an unknown store type, a Vault store without Vault settings, or a
     *     local store where it is disabled
     */
    public SecretStore forRef(StoreRef ref) {
        String type = ref == null || ref.type() == null ? "" : ref.type();
        return switch (type) {
            case "local" -> {
                if (!localEnabled) {
                    throw new StoreException("store type 'local' is disabled on this secret-sync"
                            + " (rotor.sync.local-store-enabled=false, env ROTOR_SYNC_LOCAL_STORE_ENABLED): its replicas"
                            + " each have their own disk; use store type 'vault'", false);
                }
                yield local;
            }
            case "vault" -> new VaultKvStore(vault().orElseThrow(() -> new StoreException(
                    "store type 'vault' needs rotor.sync.vault.address (env ROTOR_SYNC_VAULT_ADDRESS)", false)),
                    Boolean.TRUE.equals(ref.archive()), vaultLocks, vaultLease);
            default -> throw new StoreException("store type '" + type + "' is not supported (local, vault)", false);
        };
    }

    /**
     * One writer per keystore: the lock is taken as the application starts, so a second secret-sync on the same
     * {@code ROTOR_HOME} refuses to start, naming the lock file, instead of overwriting the first one's saves.
     */
    void lockKeystore(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent started) {
        local.lock();
    }

    @PreDestroy
    void close() {
        if (local != null) {
            local.close();
        }
    }

    public LocalKeystoreStore local() {
        return local;
    }

    /** The Vault client, when {@code rotor.sync.vault.address} is set. */
    public Optional<VaultClient> vault() {
        return Optional.ofNullable(vault);
    }
}

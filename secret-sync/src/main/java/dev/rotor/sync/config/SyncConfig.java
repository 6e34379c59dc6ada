package dev.rotor.sync.config;

import dev.rotor.sync.credential.DatasourceSettings;
import dev.rotor.sync.vault.VaultSettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Map;
import java.util.Optional;

/** secret-sync settings ({@code rotor.sync.*}). Connection settings come from the environment. */
@ConfigMapping(prefix = "rotor.sync")
public interface SyncConfig {

    /** The state directory; the local store lives in {@code <home>/keystore/rotor.bcfks}. Env: {@code ROTOR_HOME}. */
    @WithDefault("${ROTOR_HOME:.rotor}")
    String home();

    /**
     * The keystore password. Env: {@code ROTOR_KEYSTORE_PASSWORD}. When absent, a random one is generated on first
     * use and kept beside the keystore at mode 0600 ({@code keystore.password}).
     */
    Optional<String> keystorePassword();

    /**
     * Under load, the least time between two saves of the local keystore. Changes made meanwhile are saved together,
     * and each save seals and syncs the whole store whatever it carries, so this trades a little latency for CPU. It
     * applies only after a save that carried more than one change: a lone change is saved at once. Env:
     * {@code ROTOR_SYNC_KEYSTORE_COMMIT_DELAY}.
     */
    @WithDefault("1s")
    java.time.Duration keystoreCommitDelay();

    /**
     * Whether catalog entries may use the {@code local} store. Off where several replicas run on a shared store
     * (Vault): each replica's keystore is on its own disk, so a {@code local} entry would split its versions between
     * them; its steps fail naming this setting instead. Env: {@code ROTOR_SYNC_LOCAL_STORE_ENABLED}.
     */
    @WithDefault("true")
    boolean localStoreEnabled();

    /** The Vault server behind the {@code vault} store and the {@code vault-kv} target ({@code rotor.sync.vault.*}). */
    VaultSettings vault();

    /**
     * Admin connections to the databases whose roles are rotated, by the name the catalog's
     * {@code credential.datasource} uses. Env: {@code ROTOR_SYNC_DATASOURCES_<NAME>_URL|USERNAME|PASSWORD}.
     */
    Map<String, DatasourceSettings> datasources();
}

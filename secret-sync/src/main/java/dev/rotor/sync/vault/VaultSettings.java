package dev.rotor.sync.vault;

import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * How secret-sync reaches Vault ({@code rotor.sync.vault.*}, env {@code ROTOR_SYNC_VAULT_*}). Without an address
 * the {@code vault} store and {@code vault-kv} target refuse to work, naming this setting.
 */
public interface VaultSettings {

    /** {@code https://vault.example:8200}. Env: {@code ROTOR_SYNC_VAULT_ADDRESS}. */
    Optional<String> address();

    /** {@code token}, {@code approle} or {@code kubernetes}. Env: {@code ROTOR_SYNC_VAULT_AUTH}. */
    @WithDefault("token")
    String auth();

    /** The token for {@code auth=token}; never logged. Env: {@code ROTOR_SYNC_VAULT_TOKEN}. */
    Optional<String> token();

    /** AppRole login ({@code rotor.sync.vault.approle.*}). */
    AppRole approle();

    /** Kubernetes service-account login ({@code rotor.sync.vault.kubernetes.*}). */
    Kubernetes kubernetes();

    /** A PEM file with the CA (or CAs) that signed Vault's certificate; the JVM trust store when absent. */
    Optional<String> caCert();

    /** The Vault Enterprise / HCP namespace, sent as {@code X-Vault-Namespace}. */
    Optional<String> namespace();

    /** The KV v2 mount of the {@code vault} store. */
    @WithDefault("secret")
    String mount();

    /** The field of the store's KV secret that holds the value. */
    @WithDefault("value")
    String field();

    @WithDefault("PT5S")
    Duration openTimeout();

    @WithDefault("PT10S")
    Duration readTimeout();

    /**
     * How long a replica's hold on one secret lasts ({@link VaultLease}): the longest a replica that died during a
     * change blocks that secret for the others, and the longest a change may take (one that takes longer writes no
     * labels and is retried). Env: {@code ROTOR_SYNC_VAULT_LEASE}.
     */
    @WithDefault("PT15S")
    Duration lease();

    /** How long a retired version of a store with {@code archive: true} is kept. */
    @WithDefault("P365D")
    Duration archiveRetention();

    /** AppRole credentials. */
    interface AppRole {
        Optional<String> roleId();

        /** Never logged. */
        Optional<String> secretId();

        @WithDefault("approle")
        String mount();
    }

    /** Kubernetes auth: the pod's service-account JWT is read from {@code jwt-path} at each login. */
    interface Kubernetes {
        Optional<String> role();

        @WithDefault("/var/run/secrets/kubernetes.io/serviceaccount/token")
        String jwtPath();

        @WithDefault("kubernetes")
        String mount();
    }
}

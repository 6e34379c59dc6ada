package dev.rotor.reencrypt.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** reencrypt-worker settings ({@code rotor.reencrypt.*}). Connection settings come from the environment. */
@ConfigMapping(prefix = "rotor.reencrypt")
public interface ReencryptConfig {

    /**
     * Target databases, by the name a catalog entry's {@code reencrypt.datasource} uses. Env:
     * {@code ROTOR_REENCRYPT_DATASOURCES_<NAME>_URL|USERNAME|PASSWORD|KEY_DERIVATION_SALT}.
     */
    Map<String, Datasource> datasources();

    /** Rows per keyset page and per set-based write; bounds the worker's memory. */
    @WithDefault("10000")
    int chunkSize();

    /** Crypto threads; 0 = one per core. */
    @WithDefault("0")
    int threads();

    /** Rows per column the pre-flight check decrypts with the old key before any write. */
    @WithDefault("100")
    int preflightSample();

    /** {@code abort} (default) or {@code skip-and-report} (undecryptable row ids listed in the reply). */
    @WithDefault("abort")
    String undecryptable();

    /** Online verification passes before giving up on rows the application keeps writing under the old key. */
    @WithDefault("5")
    int maxOnlinePasses();

    /** Jobs that may run at once (each holds one database connection). */
    @WithDefault("2")
    int jobThreads();

    /** How often a running job publishes step-progress. */
    @WithDefault("1s")
    Duration progressInterval();

    /** The state directory secret-sync keeps its local store in ({@code <home>/keystore/rotor.bcfks}). */
    @WithDefault("${ROTOR_HOME:.rotor}")
    String home();

    /** The local keystore's password (env {@code ROTOR_KEYSTORE_PASSWORD}); else secret-sync's password file. */
    Optional<String> keystorePassword();

    /**
     * The Vault server of the {@code vault} store, read-only ({@code rotor.reencrypt.vault.*}, env
     * {@code ROTOR_REENCRYPT_VAULT_*}). The names and defaults mirror secret-sync's {@code rotor.sync.vault.*}; mount
     * and field must be the ones secret-sync writes with.
     */
    Vault vault();

    /** How online jobs are spread over every worker instance ({@code rotor.reencrypt.scale-out.*}). */
    ScaleOut scaleOut();

    /** Scale-out of online re-encryption (README "Scale-out"). */
    interface ScaleOut {
        /** Chunks per column at most; 1 runs every online job on the worker that got its command. */
        @WithDefault("12")
        int chunks();

        /** Rows per chunk at least: a column with fewer than twice this is one chunk, run by the coordinator. */
        @WithDefault("50000")
        long minRowsPerChunk();

        /**
         * Chunks this worker runs at once, each on a database session of its own; the {@code reencrypt-chunks} channel
         * gets as many consumers in the group. More than one pays where the database has cores to spare; where the
         * worker and the database share two cores, 2 was slower than 1 (README, Scale-out).
         */
        @WithDefault("1")
        int concurrency();

        /** How often the coordinator reads the chunks' state, and publishes their summed progress. */
        @WithDefault("500ms")
        Duration pollInterval();

        /** After this long with no chunk moving, chunks that no worker runs are published again (a lost record). */
        @WithDefault("60s")
        Duration stallTimeout();
    }

    /** One target database. */
    interface Datasource {
        /** {@code jdbc:postgresql://host:port/db}. */
        String url();

        Optional<String> username();

        Optional<String> password();

        /**
         * The app's {@code active_record_encryption.key_derivation_salt}, for the {@code activerecord} codecs: a Rails
         * credential, so it is kept with the database's password rather than in the catalog.
         */
        Optional<String> keyDerivationSalt();
    }

    /** How the worker reaches Vault; without an address a {@code vault} store's REENCRYPT fails naming this. */
    interface Vault {
        /** {@code https://vault.example:8200}. Env: {@code ROTOR_REENCRYPT_VAULT_ADDRESS}. */
        Optional<String> address();

        /** {@code token}, {@code approle} or {@code kubernetes}. */
        @WithDefault("token")
        String auth();

        /** The token for {@code auth=token}; never logged. Env: {@code ROTOR_REENCRYPT_VAULT_TOKEN}. */
        Optional<String> token();

        /** AppRole login ({@code rotor.reencrypt.vault.approle.role-id|secret-id|mount}). */
        AppRole approle();

        /** Kubernetes login ({@code rotor.reencrypt.vault.kubernetes.role|jwt-path|mount}). */
        Kubernetes kubernetes();

        /** A PEM file with the CA that signed Vault's certificate; the JVM trust store when absent. */
        Optional<String> caCert();

        /** The Vault Enterprise / HCP namespace. */
        Optional<String> namespace();

        /** The KV v2 mount of the {@code vault} store (secret-sync's {@code rotor.sync.vault.mount}). */
        @WithDefault("secret")
        String mount();

        /** The field that holds a version's value (secret-sync's {@code rotor.sync.vault.field}). */
        @WithDefault("value")
        String field();

        @WithDefault("PT5S")
        Duration openTimeout();

        @WithDefault("PT10S")
        Duration readTimeout();

        /** AppRole credentials. */
        interface AppRole {
            Optional<String> roleId();

            /** Never logged. */
            Optional<String> secretId();

            @WithDefault("approle")
            String mount();
        }

        /** The pod's service-account JWT is read from {@code jwt-path} at each login. */
        interface Kubernetes {
            Optional<String> role();

            @WithDefault("/var/run/secrets/kubernetes.io/serviceaccount/token")
            String jwtPath();

            @WithDefault("kubernetes")
            String mount();
        }
    }
}

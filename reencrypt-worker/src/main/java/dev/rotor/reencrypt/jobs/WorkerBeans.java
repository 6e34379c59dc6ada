package dev.rotor.reencrypt.jobs;

import dev.rotor.reencrypt.config.ReencryptConfig;
import dev.rotor.reencrypt.engine.Database;
import dev.rotor.reencrypt.engine.EngineSettings;
import dev.rotor.reencrypt.engine.ReencryptEngine;
import dev.rotor.reencrypt.engine.ReencryptException;
import dev.rotor.reencrypt.engine.UndecryptablePolicy;
import dev.rotor.reencrypt.keys.KeyMaterialSource;
import dev.rotor.reencrypt.keys.LocalKeystoreReader;
import dev.rotor.reencrypt.keys.StoreKeySources;
import dev.rotor.reencrypt.keys.VaultKeyReader;
import dev.rotor.reencrypt.keys.VaultKeySettings;
import io.quarkus.arc.DefaultBean;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** Wires the plain engine, the key reader and the job registry from {@link ReencryptConfig}. */
@ApplicationScoped
public class WorkerBeans {
    @Inject
    ReencryptConfig config;

    private ExecutorService jobThreads;

    @Produces
    @Singleton
    ReencryptEngine engine() {
        EngineSettings settings = new EngineSettings(config.chunkSize(), config.threads(), config.preflightSample(),
                UndecryptablePolicy.parse(config.undecryptable()), config.maxOnlinePasses());
        return new ReencryptEngine(settings, config.progressInterval().toMillis());
    }

    @Produces
    @Singleton
    @DefaultBean
    KeyMaterialSource keys() {
        return new StoreKeySources(new LocalKeystoreReader(Path.of(config.home()), config.keystorePassword()),
                new VaultKeyReader(vault(config.vault())));
    }

    private static Optional<VaultKeySettings> vault(ReencryptConfig.Vault v) {
        return v.address().filter(a -> !a.isBlank()).map(address -> new VaultKeySettings(address, v.auth(),
                v.token().orElse(null), v.approle().roleId().orElse(null), v.approle().secretId().orElse(null),
                v.approle().mount(), v.kubernetes().role().orElse(null), v.kubernetes().jwtPath(),
                v.kubernetes().mount(), v.caCert().orElse(null), v.namespace().orElse(null), v.mount(), v.field(),
                v.openTimeout(), v.readTimeout()));
    }

    @Produces
    @Singleton
    JobRegistry registry() {
        AtomicInteger n = new AtomicInteger();
        // Jobs run here, never on the Kafka thread: a long job must not hold up polling and heartbeats.
        jobThreads = Executors.newFixedThreadPool(Math.max(1, config.jobThreads()), r -> {
            Thread t = new Thread(r, "rotor-reencrypt-job-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        return new JobRegistry(jobThreads);
    }

    /** The target database a catalog entry names. */
    public Database datasource(String name) {
        ReencryptConfig.Datasource ds = name == null ? null : config.datasources().get(name);
        if (ds == null) {
            throw new ReencryptException("datasource '" + name + "' is not configured in reencrypt-worker (set "
                    + "rotor.reencrypt.datasources." + name + ".url, env ROTOR_REENCRYPT_DATASOURCES_"
                    + String.valueOf(name).toUpperCase(java.util.Locale.ROOT) + "_URL); configured: "
                    + config.datasources().keySet(), false);
        }
        return Database.postgres(ds.url(), ds.username().orElse(null), ds.password().orElse(null));
    }

    /** The key derivation salt of the app behind a datasource, for the {@code activerecord} codecs. */
    public String keyDerivationSalt(String name) {
        ReencryptConfig.Datasource ds = name == null ? null : config.datasources().get(name);
        String env = "ROTOR_REENCRYPT_DATASOURCES_" + String.valueOf(name).toUpperCase(java.util.Locale.ROOT)
                + "_KEY_DERIVATION_SALT";
        if (ds == null || ds.keyDerivationSalt().isEmpty() || ds.keyDerivationSalt().get().isEmpty()) {
            throw new ReencryptException("datasource '" + name + "' has no key derivation salt, which the activerecord"
                    + " codecs need (set rotor.reencrypt.datasources." + name + ".key-derivation-salt, env " + env
                    + ", to the app's active_record_encryption.key_derivation_salt)", false);
        }
        return ds.keyDerivationSalt().get();
    }

    @PreDestroy
    void stop() {
        if (jobThreads != null) {
            jobThreads.shutdownNow();
        }
    }
}

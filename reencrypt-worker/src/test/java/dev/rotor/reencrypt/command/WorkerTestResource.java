package dev.rotor.reencrypt.command;

import dev.rotor.local.PgServer;
import dev.rotor.local.PostgresResource;
import dev.rotor.reencrypt.engine.TestDb;
import dev.rotor.reencrypt.keys.FakeVaultKv;
import dev.rotor.reencrypt.keys.TestKeystore;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The worker's surroundings: a real PostgreSQL as datasource {@code tooljet}, and a secret-sync-style local keystore
 * in a fresh ROTOR home holding {@link TestKeys}, and a KV v2 Vault (WireMock) holding {@link TestKeys#VAULT_PATH}.
 */
public class WorkerTestResource implements QuarkusTestResourceLifecycleManager {
    private FakeVaultKv vault;

    @Override
    public Map<String, String> start() {
        try {
            Path home = Files.createTempDirectory("rotor-reencrypt-home");
            TestKeystore.write(home, TestKeys.PASSWORD, Map.of(
                    TestKeys.PATH, Map.of(1, TestKeys.V1, 2, TestKeys.V2, 3, TestKeys.NOT_V1),
                    TestKeys.FERNET_PATH, Map.of(1, TestKeys.FERNET_V1, 2, TestKeys.FERNET_V2),
                    TestKeys.RAILS_DETERMINISTIC_PATH, Map.of(1, TestKeys.RAILS_DETERMINISTIC_V1, 2,
                            TestKeys.RAILS_DETERMINISTIC_V2),
                    TestKeys.RAILS_PRIMARY_PATH, Map.of(1, TestKeys.RAILS_PRIMARY_V1, 2, TestKeys.RAILS_PRIMARY_V2)));
            PgServer pg = PostgresResource.server();
            vault = new FakeVaultKv().put("secret", TestKeys.VAULT_PATH, 1, Map.of("value", TestKeys.VAULT_V1))
                    .put("secret", TestKeys.VAULT_PATH, 2, Map.of("value", TestKeys.VAULT_V2))
                    .deleted("secret", TestKeys.VAULT_PATH, 3);
            return Map.ofEntries(
                    Map.entry("rotor.reencrypt.vault.address", vault.address()),
                    Map.entry("rotor.reencrypt.vault.token", FakeVaultKv.TOKEN),
                    Map.entry("rotor.reencrypt.home", home.toString()),
                    Map.entry("rotor.reencrypt.keystore-password", TestKeys.PASSWORD),
                    Map.entry("rotor.reencrypt.datasources.tooljet.url", PostgresResource.jdbcUrl(TestDb.DATABASE)),
                    Map.entry("rotor.reencrypt.datasources.tooljet.username", pg.user()),
                    Map.entry("rotor.reencrypt.datasources.tooljet.password", pg.password()),
                    // The Rails app: the same database, and its key derivation salt.
                    Map.entry("rotor.reencrypt.datasources.rails.url", PostgresResource.jdbcUrl(TestDb.DATABASE)),
                    Map.entry("rotor.reencrypt.datasources.rails.username", pg.user()),
                    Map.entry("rotor.reencrypt.datasources.rails.password", pg.password()),
                    Map.entry("rotor.reencrypt.datasources.rails.key-derivation-salt", TestKeys.RAILS_SALT),
                    Map.entry("rotor.reencrypt.progress-interval", "50ms"),
                    // Scale-out from 4,000 rows (two chunks of 2,000), at most 6 chunks per column.
                    Map.entry("rotor.reencrypt.scale-out.chunks", "6"),
                    Map.entry("rotor.reencrypt.scale-out.min-rows-per-chunk", "2000"),
                    Map.entry("rotor.reencrypt.scale-out.poll-interval", "100ms"),
                    // Two chunks at a time in this worker (the default is one): its chunk consumers and key leases
                    // run concurrently in every scale-out test here.
                    Map.entry("rotor.reencrypt.scale-out.concurrency", "2"),
                    Map.entry("rotor.reencrypt.chunk-size", "1000"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        if (vault != null) {
            vault.close();
        }
    }

    /** Fixed test keys, known to both the keystore and the test. */
    public static final class TestKeys {
        public static final String PASSWORD = "test-keystore-password";
        public static final String PATH = "tooljet/lockbox-master-key";
        public static final String V1 = "1111111111111111111111111111111111111111111111111111111111111111";
        public static final String V2 = "2222222222222222222222222222222222222222222222222222222222222222";
        /** Version 3 is some other key: a "from" version the rows were never under. */
        public static final String NOT_V1 = "3333333333333333333333333333333333333333333333333333333333333333";
        /** A Django app's Fernet keys (the secret's value is the Fernet key itself). */
        public static final String FERNET_PATH = "django/fernet-key";
        public static final String FERNET_V1 = "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=";
        public static final String FERNET_V2 = "Yl3GvX3r8xXh0H6b8XGm1ePj7m2rJ2m6aXQx0b1k9sQ=";
        /**
         * A Rails app's keys (the secret's value is the Rails key itself). Version 1 and the salt are those of Rails'
         * own test suite (activerecord/test/support/encryption_config.rb), so that Rails' published value decrypts.
         */
        public static final String RAILS_SALT = "testing key derivation salt";
        public static final String RAILS_DETERMINISTIC_PATH = "rails/deterministic-key";
        public static final String RAILS_DETERMINISTIC_V1 = "test deterministic key";
        public static final String RAILS_DETERMINISTIC_V2 = "uhtk2DYS80OweAPnMLtrV2FhYIXaceAy";
        public static final String RAILS_PRIMARY_PATH = "rails/primary-key";
        public static final String RAILS_PRIMARY_V1 = "test master key";
        public static final String RAILS_PRIMARY_V2 = "YehXdfzxVKpoLvKseJMJIEGs2JxerkB8";
        /** Rails' published deterministic value of "Dune" under version 1, with SHA-1 (encryptable_record_test.rb). */
        public static final String RAILS_DUNE =
                "{\"p\":\"DIohhw==\",\"h\":{\"iv\":\"wEPaDcJP3VNIxaiz\",\"at\":\"X7+2xvvcu1k1if6Dy28Esw==\"}}";

        /** A secret in the vault store (mount {@code secret}, field {@code value}); version 3 was destroyed. */
        public static final String VAULT_PATH = "billing/lockbox-master-key";
        public static final String VAULT_V1 = "4444444444444444444444444444444444444444444444444444444444444444";
        public static final String VAULT_V2 = "5555555555555555555555555555555555555555555555555555555555555555";

        private TestKeys() {
        }
    }
}

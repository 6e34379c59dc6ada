package dev.rotor.reencrypt.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotor.contracts.catalog.ReencryptSpec;
import dev.rotor.contracts.catalog.StoreRef;
import dev.rotor.contracts.cipher.Codecs;
import dev.rotor.contracts.cipher.MasterKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The vault store's reader against a fake KV v2 over HTTP, through the real driver. */
class VaultKeyReaderTest {
    private static final String V1 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private static final String V2 = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";
    private static final String PATH = "tooljet/lockbox-master-key";
    private static final StoreRef STORE = new StoreRef("vault", PATH, null);
    private final FakeVaultKv vault = new FakeVaultKv();

    @AfterEach
    void stop() {
        vault.close();
    }

    private VaultKeyReader reader() {
        return new VaultKeyReader(Optional.of(VaultKeySettings.token(vault.address(), FakeVaultKv.TOKEN)));
    }

    @Test
    void readsEachRotorVersionAsTheSameKvVersionOfTheValueField() {
        vault.put("secret", PATH, 1, Map.of("value", V1)).put("secret", PATH, 2, Map.of("value", V2 + "\n"));
        Map<Integer, MasterKey> keys = reader().loadAll(STORE, List.of(1, 2), Codecs.lockbox());
        assertThat(keys).containsOnlyKeys(1, 2);
        assertThat(keys.get(1).sameSecretAs(MasterKey.fromHex(1, V1))).isTrue();
        assertThat(keys.get(2).sameSecretAs(MasterKey.fromHex(2, V2))).isTrue();
        assertThat(keys.get(2).version()).isEqualTo(2);
        assertThat(vault.requests()).containsExactly(
                "GET /v1/secret/data/" + PATH + "?version=1", "GET /v1/secret/data/" + PATH + "?version=2");
    }

    @Test
    void aMountWithSeveralSegmentsAndAnotherFieldAreHonoured() {
        String fernet = "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=";
        vault.put("team/kv", "django/fernet-key", 4, Map.of("key", fernet, "value", "ignored"));
        VaultKeySettings s = VaultKeySettings.token(vault.address(), FakeVaultKv.TOKEN);
        var reader = new VaultKeyReader(Optional.of(new VaultKeySettings(s.address(), "token", s.token(), null, null,
                "approle", null, null, "kubernetes", null, null, "/team/kv/", "key", s.openTimeout(),
                s.readTimeout())));
        MasterKey key = reader.load(new StoreRef("vault", "django/fernet-key", null), 4, Codecs.fernet());
        assertThat(key.sameSecretAs(Codecs.fernet().readMasterKey(4, fernet))).isTrue();
    }

    @Test
    void aVersionNeverWrittenOrDestroyedIsAbsentAndLoadNamesSecretAndVersion() {
        vault.put("secret", PATH, 1, Map.of("value", V1)).deleted("secret", PATH, 2);
        assertThat(reader().loadAll(STORE, List.of(1, 2, 3), Codecs.lockbox())).containsOnlyKeys(1);
        assertThatThrownBy(() -> reader().load(STORE, 2)).isInstanceOfSatisfying(KeyUnavailableException.class,
                e -> assertThat(e.missing()).isTrue())
                .hasMessage("version 2 of secret " + PATH + " has no material in the vault store "
                        + "(never staged, or retired)");
    }

    @Test
    void aRefusedTokenIsFinalAndNeverQuoted() {
        vault.put("secret", PATH, 1, Map.of("value", V1));
        var wrong = new VaultKeyReader(Optional.of(VaultKeySettings.token(vault.address(), "stale-token-0042")));
        assertThatThrownBy(() -> wrong.load(STORE, 1)).isInstanceOfSatisfying(KeyUnavailableException.class,
                e -> assertThat(e.retryable()).isFalse())
                .hasMessage("permission denied on secret/data/" + PATH + "?version=1 (403): reencrypt-worker's "
                        + "Vault credentials need read on this path")
                .hasMessageNotContaining("stale-token-0042");
    }

    @Test
    void anUnavailableVaultIsWorthARetry() {
        vault.put("secret", PATH, 1, Map.of("value", V1));
        vault.fail("/v1/secret/", 503);
        assertThatThrownBy(() -> reader().load(STORE, 1)).isInstanceOfSatisfying(KeyUnavailableException.class,
                e -> assertThat(e.retryable()).isTrue())
                .hasMessage("Vault gave 503 for secret/data/" + PATH + "?version=1; will retry");
        VaultKeyReader closed = reader();
        vault.close();
        assertThatThrownBy(() -> closed.load(STORE, 1)).isInstanceOfSatisfying(KeyUnavailableException.class,
                e -> assertThat(e.retryable()).isTrue()).hasMessageStartingWith("Vault gave no answer (");
    }

    @Test
    void anAppRoleLoginSuppliesTheTokenAndABadSecretIdIsRefusedUnquoted() {
        vault.put("secret", PATH, 1, Map.of("value", V1));
        VaultKeySettings token = VaultKeySettings.token(vault.address(), null);
        MasterKey key = new VaultKeyReader(Optional.of(token.withAppRole(FakeVaultKv.ROLE_ID, FakeVaultKv.SECRET_ID)))
                .load(STORE, 1);
        assertThat(key.sameSecretAs(MasterKey.fromHex(1, V1))).isTrue();
        assertThat(vault.requests()).containsExactly("POST /v1/auth/approle/login",
                "GET /v1/secret/data/" + PATH + "?version=1");

        assertThatThrownBy(() -> new VaultKeyReader(Optional.of(token.withAppRole(FakeVaultKv.ROLE_ID, "wrong-id-77")))
                .load(STORE, 1)).isInstanceOf(KeyUnavailableException.class)
                .hasMessage("Vault refused auth/approle/login with 400").hasMessageNotContaining("wrong-id-77");
    }

    @Test
    void aMissingFieldOrANonKeyValueIsRefusedWithoutMaterial() {
        vault.put("secret", PATH, 1, Map.of("other", V1)).put("secret", PATH, 2, Map.of("value", "zz" + V2));
        assertThatThrownBy(() -> reader().load(STORE, 1)).isInstanceOfSatisfying(KeyUnavailableException.class,
                e -> assertThat(e.missing()).isFalse())
                .hasMessage("version 1 of secret " + PATH + " (secret/data/" + PATH + ") has no field 'value' "
                        + "(rotor.reencrypt.vault.field)");
        assertThatThrownBy(() -> reader().load(STORE, 2))
                .hasMessageStartingWith("version 2 of secret " + PATH + " is not a lockbox key: ")
                .hasMessageNotContaining(V2.substring(4));
    }

    @Test
    void withoutAnAddressTheStoreIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> new VaultKeyReader(Optional.empty()).load(STORE, 1))
                .hasMessage("secret " + PATH + " is in the vault store but rotor.reencrypt.vault.address (env "
                        + "ROTOR_REENCRYPT_VAULT_ADDRESS) is not set");
    }

    @Test
    void theWorkerReadsExactlyTheStoreTypesTheCatalogAcceptsWithReencrypt() {
        var sources = new StoreKeySources(new LocalKeystoreReader(java.nio.file.Path.of("none"), Optional.empty()),
                reader());
        assertThat(sources.types()).isEqualTo(ReencryptSpec.READABLE_STORES);
        vault.put("secret", PATH, 1, Map.of("value", V1));
        assertThat(sources.load(STORE, 1).sameSecretAs(MasterKey.fromHex(1, V1))).isTrue();
        assertThatThrownBy(() -> sources.load(new StoreRef("aws-sm", PATH, null), 1))
                .hasMessage("store type 'aws-sm' is not readable by reencrypt-worker (one of local, vault)");
    }
}

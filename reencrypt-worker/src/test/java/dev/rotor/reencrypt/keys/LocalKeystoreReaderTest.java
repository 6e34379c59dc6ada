package dev.rotor.reencrypt.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotor.contracts.catalog.StoreRef;
import dev.rotor.contracts.cipher.Codecs;
import dev.rotor.contracts.cipher.MasterKey;
import dev.rotor.contracts.store.LocalStoreFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKeystoreReaderTest {
    private static final String V1 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private static final String V2 = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";
    private static final StoreRef STORE = new StoreRef("local", "tooljet/lockbox-master-key", null);

    @TempDir
    Path home;

    @Test
    void readsTheVersionsSecretSyncWrote() throws Exception {
        TestKeystore.write(home, "pw-from-file", STORE.path(), Map.of(1, V1, 2, V2 + "\n"));
        var reader = new LocalKeystoreReader(home, Optional.empty()); // the password file beside the keystore
        MasterKey one = reader.load(STORE, 1);
        MasterKey two = reader.load(STORE, 2);
        assertThat(one.version()).isEqualTo(1);
        assertThat(one.sameSecretAs(MasterKey.fromHex(1, V1))).isTrue();
        assertThat(two.sameSecretAs(MasterKey.fromHex(2, V2))).isTrue();
    }

    @Test
    void loadAllReadsSeveralVersionsAtOnceAndLeavesOutTheOnesTheStoreDoesNotHold() throws Exception {
        TestKeystore.write(home, "pw", STORE.path(), Map.of(1, V1, 2, V2));
        var reader = new LocalKeystoreReader(home, Optional.of("pw"));
        Map<Integer, MasterKey> keys = reader.loadAll(STORE, List.of(2, 3, 1), Codecs.lockbox());
        assertThat(keys).containsOnlyKeys(1, 2);
        assertThat(keys.get(1).sameSecretAs(MasterKey.fromHex(1, V1))).isTrue();
        assertThat(keys.get(2).sameSecretAs(MasterKey.fromHex(2, V2))).isTrue();
        assertThat(keys.get(2).version()).isEqualTo(2);
        assertThatThrownBy(() -> new LocalKeystoreReader(home, Optional.of("wrong"))
                .loadAll(STORE, List.of(1, 2), Codecs.lockbox())).isInstanceOfSatisfying(
                        KeyUnavailableException.class, e -> assertThat(e.missing()).isFalse());
    }

    @Test
    void theStartUpCheckSaysWhetherTheStoreOpensAndNothingWithoutAStore() throws Exception {
        assertThat(new LocalKeystoreReader(home, Optional.of("pw")).check()).isEmpty();
        TestKeystore.write(home, "pw", STORE.path(), Map.of(1, V1));
        assertThat(new LocalKeystoreReader(home, Optional.of("pw")).check()).hasValueSatisfying(c -> {
            assertThat(c.opened()).isTrue();
            assertThat(c.message()).endsWith("rotor.bcfks opens with its password");
        });
        assertThat(new LocalKeystoreReader(home, Optional.of("wrong")).check()).hasValueSatisfying(c -> {
            assertThat(c.opened()).isFalse();
            assertThat(c.message()).contains("cannot open the local keystore").contains("ROTOR_KEYSTORE_PASSWORD")
                    .doesNotContain("wrong").doesNotContain(V1);
        });
    }

    @Test
    void aStoreInFormatTwoStillReadsAndAMissingImageIsNamed() throws Exception {
        Path dir = home.resolve(LocalStoreFormat.DIRECTORY);
        Files.createDirectories(dir);
        Files.write(dir.resolve(LocalStoreFormat.FILE), LocalStoreFormat.writeFormat2(new LocalStoreFormat.Contents(
                null, Map.of(LocalStoreFormat.versionAlias(STORE.path(), 1), V1.getBytes())), "pw".toCharArray()));
        assertThat(new LocalKeystoreReader(home, Optional.of("pw")).load(STORE, 1)
                .sameSecretAs(MasterKey.fromHex(1, V1))).isTrue();

        TestKeystore.write(home, "pw", STORE.path(), Map.of(1, V1));
        Files.delete(dir.resolve(LocalStoreFormat.IMAGE_FILE));
        assertThatThrownBy(() -> new LocalKeystoreReader(home, Optional.of("pw")).load(STORE, 1))
                .isInstanceOfSatisfying(KeyUnavailableException.class, e -> assertThat(e.missing()).isFalse())
                .hasMessageContaining("rotor.store is missing").hasMessageNotContaining("ROTOR_KEYSTORE_PASSWORD");
        assertThat(new LocalKeystoreReader(home, Optional.of("pw")).check()).hasValueSatisfying(c -> {
            assertThat(c.opened()).isFalse();
            assertThat(c.message()).contains("rotor.store is missing");
        });
    }

    @Test
    void aMissingVersionIsReportedAsMissingWithoutMaterial() throws Exception {
        TestKeystore.write(home, "pw", STORE.path(), Map.of(1, V1));
        var reader = new LocalKeystoreReader(home, Optional.of("pw"));
        assertThatThrownBy(() -> reader.load(STORE, 3)).isInstanceOfSatisfying(KeyUnavailableException.class,
                e -> assertThat(e.missing()).isTrue())
                .hasMessage("version 3 of secret tooljet/lockbox-master-key has no material in the local keystore "
                        + "(never staged, or retired)");
    }

    @Test
    void aWrongPasswordOrANonKeyValueIsRefusedWithoutMaterial() throws Exception {
        TestKeystore.write(home, "pw", STORE.path(), Map.of(1, V1, 2, "not-a-key-" + V1.substring(10)));
        assertThatThrownBy(() -> new LocalKeystoreReader(home, Optional.of("wrong")).load(STORE, 1))
                .hasMessageContaining("cannot open the local keystore").hasMessageNotContaining(V1);
        assertThatThrownBy(() -> new LocalKeystoreReader(home, Optional.of("pw")).load(STORE, 2))
                .hasMessageStartingWith("version 2 of secret tooljet/lockbox-master-key is not a lockbox key: ")
                .hasMessageNotContaining(V1.substring(10));
        assertThatThrownBy(() -> new LocalKeystoreReader(home, Optional.of("pw"))
                .load(new StoreRef("vault", "secret/x", null), 1)).hasMessageContaining("store type 'vault'");
    }

    @Test
    void readsAFernetKeyForTheFernetCodecAndRefusesItAsHex() throws Exception {
        String fernet = "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=";
        StoreRef django = new StoreRef("local", "django/fernet-key", null);
        TestKeystore.write(home, "pw", django.path(), Map.of(1, fernet + "\n"));
        var reader = new LocalKeystoreReader(home, Optional.of("pw"));

        MasterKey key = reader.load(django, 1, Codecs.fernet());

        assertThat(key.sameSecretAs(MasterKey.fromFernetKey(1, fernet))).isTrue();
        assertThatThrownBy(() -> reader.load(django, 1)).hasMessageStartingWith(
                "version 1 of secret django/fernet-key is not a lockbox key: ").hasMessageNotContaining(fernet);
    }
}

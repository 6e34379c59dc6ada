package dev.rotor.contracts.cipher;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The codecs against vectors computed independently: lockbox and rotor-v1 with Node's {@code crypto.hkdfSync} and
 * AES-256-GCM ({@code node contracts/src/test/resources/cipher/generate-vectors.mjs}), fernet with Python's
 * {@code cryptography} ({@code python3 contracts/src/test/resources/cipher/generate-fernet-vectors.py}).
 */
class KnownAnswerTest {

    static List<Vectors.Lockbox> lockboxVectors() {
        return Vectors.lockbox();
    }

    static List<Vectors.RotorV1> rotorV1Vectors() {
        return Vectors.rotorV1();
    }

    static List<Vectors.Fernet> fernetVectors() {
        return Vectors.fernet();
    }

    @Test
    void theFernetVectorsCoverTheCasesThatMatter() {
        assertThat(fernetVectors()).extracting(Vectors.Fernet::name).contains("empty-plaintext", "utf8-multibyte",
                "binary-1k", "one-block-exactly");
        assertThat(fernetVectors()).allSatisfy(v -> assertThat(v.producedBy()).startsWith("cryptography "));
    }

    @ParameterizedTest(name = "fernet {0}")
    @MethodSource("fernetVectors")
    void fernetMatchesPythonCryptography(Vectors.Fernet v) throws UndecryptableException {
        FernetCodec codec = Codecs.fernet();
        ColumnKey key = codec.deriveKey(codec.readMasterKey(1, v.key()), "accounts", "token");
        byte[] plaintext = Vectors.hex(v.plaintextHex());

        assertThat(codec.decrypt(key, "any-row", v.token())).isEqualTo(plaintext);
        assertThat(codec.timestampOf(v.token())).isEqualTo(v.timestamp());
        assertThat(codec.encryptAt(key, plaintext, v.timestamp(), Vectors.hex(v.ivHex()))).isEqualTo(v.token());
    }

    @Test
    void theVectorsCoverTheCasesThatMatter() {
        assertThat(lockboxVectors()).extracting(Vectors.Lockbox::name).contains("tooljet-credentials",
                "empty-plaintext", "unicode-plaintext", "about-200-bytes");
        assertThat(lockboxVectors())
                .anySatisfy(v -> assertThat(v.plaintext().getBytes(UTF_8).length).isBetween(190, 260));
        assertThat(lockboxVectors()).anySatisfy(v -> assertThat(v.table()).isEqualTo("credentials"));
        assertThat(lockboxVectors()).anySatisfy(v -> assertThat(v.column()).isEqualTo("value"));
    }

    @ParameterizedTest(name = "lockbox {0}")
    @MethodSource("lockboxVectors")
    void lockboxMatchesNode(Vectors.Lockbox v) throws UndecryptableException {
        LockboxCodec codec = Codecs.lockbox();
        ColumnKey key = codec.deriveKey(MasterKey.fromHex(1, v.masterKeyHex()), v.table(), v.column());

        assertThat(key.secretKey().getEncoded()).isEqualTo(Vectors.hex(v.columnKeyHex()));
        assertThat(new String(codec.decrypt(key, "any-row", v.stored()), UTF_8)).isEqualTo(v.plaintext());
        assertThat(codec.encryptWithNonce(key, v.plaintext().getBytes(UTF_8), Vectors.hex(v.nonceHex())))
                .isEqualTo(v.stored());
    }

    @ParameterizedTest(name = "rotor-v1 {0}")
    @MethodSource("rotorV1Vectors")
    void rotorV1MatchesNode(Vectors.RotorV1 v) throws UndecryptableException {
        RotorV1Codec codec = Codecs.rotorV1();
        ColumnKey key = codec.deriveKey(MasterKey.fromHex(v.keyVersion(), v.masterKeyHex()), v.table(), v.column());

        assertThat(key.secretKey().getEncoded()).isEqualTo(Vectors.hex(v.columnKeyHex()));
        assertThat(codec.keyVersionOf(v.stored())).isEqualTo(v.keyVersion());
        assertThat(new String(codec.decrypt(key, v.rowId(), v.stored()), UTF_8)).isEqualTo(v.plaintext());
        assertThat(codec.encryptWithNonce(key, v.rowId(), v.plaintext().getBytes(UTF_8), Vectors.hex(v.nonceHex())))
                .isEqualTo(v.stored());
    }
}

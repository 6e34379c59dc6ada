package dev.rotor.contracts.cipher;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotor.contracts.cipher.UndecryptableException.Reason;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class RotorV1CodecTest {
    private static final String OLD_HEX = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private static final String NEW_HEX = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private final RotorV1Codec codec = Codecs.rotorV1();
    private final ColumnKey v3 = codec.deriveKey(MasterKey.fromHex(3, OLD_HEX), "secrets", "token");
    private final ColumnKey v4 = codec.deriveKey(MasterKey.fromHex(4, NEW_HEX), "secrets", "token");

    @Test
    void roundTripsAndRecordsTheKeyVersion() throws UndecryptableException {
        byte[] plaintext = "token-value".getBytes(UTF_8);

        String stored = codec.encrypt(v3, "row-17", plaintext);

        assertThat(stored).startsWith("rv1:").doesNotContain("=", "+", "/");
        assertThat(codec.keyVersionOf(stored)).isEqualTo(3);
        assertThat(codec.decrypt(v3, "row-17", stored)).isEqualTo(plaintext);
        assertThat(codec.encrypt(v3, "row-17", plaintext)).isNotEqualTo(stored);
    }

    @Test
    void aValueMovedToAnotherRowDoesNotDecrypt() {
        String stored = codec.encrypt(v3, "row-17", "x".getBytes(UTF_8));

        assertThatThrownBy(() -> codec.decrypt(v3, "row-18", stored))
                .isInstanceOfSatisfying(UndecryptableException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.AUTHENTICATION_FAILED));
    }

    @Test
    void aKeyOfAnotherVersionIsRefusedBeforeDecrypting() {
        String stored = codec.encrypt(v3, "1", "x".getBytes(UTF_8));

        assertThatThrownBy(() -> codec.decrypt(v4, "1", stored))
                .isInstanceOfSatisfying(UndecryptableException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.KEY_VERSION_MISMATCH))
                .hasMessage("undecryptable rotor-v1 value: under another key version "
                        + "(value is under key version 3, the key is version 4)");
    }

    @Test
    void aWrongKeyWithTheSameVersionFailsAuthentication() {
        ColumnKey impostor = codec.deriveKey(MasterKey.fromHex(3, NEW_HEX), "secrets", "token");
        String stored = codec.encrypt(v3, "1", "x".getBytes(UTF_8));

        assertThatThrownBy(() -> codec.decrypt(impostor, "1", stored))
                .isInstanceOfSatisfying(UndecryptableException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.AUTHENTICATION_FAILED));
    }

    @Test
    void everyTamperedByteIsRefused() {
        String stored = codec.encrypt(v3, "1", "short".getBytes(UTF_8));
        byte[] raw = Base64.getUrlDecoder().decode(stored.substring(4));
        for (int i = 0; i < raw.length; i++) {
            byte[] tampered = raw.clone();
            tampered[i] ^= 0x01;
            String bad = "rv1:" + Base64.getUrlEncoder().withoutPadding().encodeToString(tampered);

            assertThatThrownBy(() -> codec.decrypt(v3, "1", bad)).as("byte %d flipped", i)
                    .isInstanceOf(UndecryptableException.class);
        }
    }

    @Test
    void aRewrittenVersionDoesNotDecryptUnderThatVersion() {
        ColumnKey sameBytesAsV3ButV4 = codec.deriveKey(MasterKey.fromHex(4, OLD_HEX), "secrets", "token");
        byte[] raw = Base64.getUrlDecoder().decode(codec.encrypt(v3, "1", "x".getBytes(UTF_8)).substring(4));
        raw[4] = 4;
        String relabelled = "rv1:" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);

        assertThatThrownBy(() -> codec.decrypt(sameBytesAsV3ButV4, "1", relabelled))
                .isInstanceOfSatisfying(UndecryptableException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.AUTHENTICATION_FAILED));
    }

    @Test
    void keyVersionOfReadsOnlyTheHeader() throws UndecryptableException {
        assertThat(codec.keyVersionOf(codec.encrypt(v4, "1", new byte[0]))).isEqualTo(4);
        ColumnKey big = codec.deriveKey(MasterKey.fromHex(Integer.MAX_VALUE, OLD_HEX), "secrets", "token");
        assertThat(codec.keyVersionOf(codec.encrypt(big, "1", new byte[0]))).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void malformedValuesSayWhy() {
        assertThatThrownBy(() -> codec.keyVersionOf("AQgPFh0kKzI5QEdO"))
                .isInstanceOfSatisfying(UndecryptableException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_FORMAT))
                .hasMessage("undecryptable rotor-v1 value: unknown format (does not start with rv1:)");
        assertThatThrownBy(() -> codec.keyVersionOf("rv1:***"))
                .isInstanceOfSatisfying(UndecryptableException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.NOT_BASE64));
        assertThatThrownBy(() -> codec.keyVersionOf("rv1:AQAAAAM"))
                .isInstanceOfSatisfying(UndecryptableException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.TOO_SHORT));
        String format2 = "rv1:" + Base64.getUrlEncoder().withoutPadding().encodeToString(withFirstByte(2));
        assertThatThrownBy(() -> codec.keyVersionOf(format2))
                .isInstanceOfSatisfying(UndecryptableException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_FORMAT));
    }

    @Test
    void isUnderChecksTheVersion() {
        String underV3 = codec.encrypt(v3, "1", "x".getBytes(UTF_8));

        assertThat(codec.isUnder(v3, "1", underV3)).isTrue();
        assertThat(codec.isUnder(v4, "1", underV3)).isFalse();
        assertThat(codec.isUnder(v3, "1", "not-rv1")).isFalse();
        assertThat(codec.isUnder(v3, "1", null)).isFalse();
    }

    @Test
    void theRowIdIsRequired() {
        assertThatThrownBy(() -> codec.encrypt(v3, null, new byte[1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("rowId is required by rotor-v1");
    }

    private static byte[] withFirstByte(int format) {
        byte[] raw = new byte[5 + 12 + 16];
        raw[0] = (byte) format;
        return raw;
    }
}

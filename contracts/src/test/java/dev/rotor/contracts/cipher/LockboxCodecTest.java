package dev.rotor.contracts.cipher;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotor.contracts.cipher.UndecryptableException.Reason;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class LockboxCodecTest {
    private static final String OLD_HEX = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private static final String NEW_HEX = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private final LockboxCodec codec = Codecs.lockbox();
    private final ColumnKey oldKey = codec.deriveKey(MasterKey.fromHex(1, OLD_HEX), "credentials", "value");
    private final ColumnKey newKey = codec.deriveKey(MasterKey.fromHex(2, NEW_HEX), "credentials", "value");

    @Test
    void roundTripsUnderAFreshNonceEachTime() throws UndecryptableException {
        byte[] plaintext = "{\"value\":\"hunter2\"}".getBytes(UTF_8);

        String first = codec.encrypt(oldKey, "1", plaintext);
        String second = codec.encrypt(oldKey, "1", plaintext);

        assertThat(first).isNotEqualTo(second);
        assertThat(Base64.getDecoder().decode(first)).hasSize(12 + plaintext.length + 16);
        assertThat(codec.decrypt(oldKey, "1", first)).isEqualTo(plaintext);
        assertThat(codec.decrypt(oldKey, "1", second)).isEqualTo(plaintext);
    }

    @Test
    void theRowIdIsNotPartOfTheValue() throws UndecryptableException {
        String stored = codec.encrypt(oldKey, "1", "x".getBytes(UTF_8));

        assertThat(codec.decrypt(oldKey, "2", stored)).isEqualTo("x".getBytes(UTF_8));
        assertThat(codec.decrypt(oldKey, null, stored)).isEqualTo("x".getBytes(UTF_8));
    }

    @Test
    void aWrongKeyFailsAuthentication() {
        String stored = codec.encrypt(oldKey, "1", "secret".getBytes(UTF_8));

        assertThatThrownBy(() -> codec.decrypt(newKey, "1", stored))
                .isInstanceOfSatisfying(UndecryptableException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.AUTHENTICATION_FAILED))
                .hasMessage("undecryptable lockbox value: authentication failed (wrong key, wrong row or tampered)");
    }

    @Test
    void anotherColumnsKeyFailsAuthentication() {
        ColumnKey otherColumn = codec.deriveKey(MasterKey.fromHex(1, OLD_HEX), "credentials", "other");
        String stored = codec.encrypt(oldKey, "1", "secret".getBytes(UTF_8));

        assertThatThrownBy(() -> codec.decrypt(otherColumn, "1", stored))
                .isInstanceOf(UndecryptableException.class);
    }

    @Test
    void everyTamperedByteFailsAuthentication() {
        byte[] raw = Base64.getDecoder().decode(codec.encrypt(oldKey, "1", "short".getBytes(UTF_8)));
        for (int i = 0; i < raw.length; i++) {
            byte[] tampered = raw.clone();
            tampered[i] ^= 0x01;
            String stored = Base64.getEncoder().encodeToString(tampered);

            assertThatThrownBy(() -> codec.decrypt(oldKey, "1", stored)).as("byte %d flipped", i)
                    .isInstanceOfSatisfying(UndecryptableException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.AUTHENTICATION_FAILED));
        }
    }

    @Test
    void malformedValuesSayWhy() {
        assertThatThrownBy(() -> codec.decrypt(oldKey, "1", "not base64!"))
                .isInstanceOfSatisfying(UndecryptableException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.NOT_BASE64))
                .hasMessage("undecryptable lockbox value: not base64");
        String tooShort = Base64.getEncoder().encodeToString(new byte[27]);
        assertThatThrownBy(() -> codec.decrypt(oldKey, "1", tooShort))
                .isInstanceOfSatisfying(UndecryptableException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.TOO_SHORT));
    }

    @Test
    void isUnderIsATrialDecrypt() {
        String underOld = codec.encrypt(oldKey, "1", "v".getBytes(UTF_8));

        assertThat(codec.isUnder(oldKey, "1", underOld)).isTrue();
        assertThat(codec.isUnder(newKey, "1", underOld)).isFalse();
        assertThat(codec.isUnder(oldKey, "1", "garbage")).isFalse();
        assertThat(codec.isUnder(oldKey, "1", null)).isFalse();
    }

    @Test
    void refusesAKeyDerivedByAnotherCodec() {
        ColumnKey rotorKey = Codecs.rotorV1().deriveKey(MasterKey.fromHex(1, OLD_HEX), "credentials", "value");

        assertThatThrownBy(() -> codec.encrypt(rotorKey, "1", new byte[1]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("column key was derived by codec rotor-v1, not lockbox");
    }

    @Test
    void refusesEmptyLabelsAsLockboxDoes() {
        MasterKey master = MasterKey.fromHex(1, OLD_HEX);

        assertThatThrownBy(() -> codec.deriveKey(master, "", "value"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("table label must not be empty");
        assertThatThrownBy(() -> codec.deriveKey(master, "credentials", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("column label must not be empty");
    }
}

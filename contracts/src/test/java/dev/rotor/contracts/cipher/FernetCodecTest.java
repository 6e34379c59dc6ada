package dev.rotor.contracts.cipher;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class FernetCodecTest {
    private static final String OLD_KEY = "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=";
    private static final String NEW_KEY = "Yl3GvX3r8xXh0H6b8XGm1ePj7m2rJ2m6aXQx0b1k9sQ=";
    private static final String PLAINTEXT = "postgres://app:Tr0ub4dor&3@db.internal/prod";
    private final FernetCodec codec = Codecs.fernet();
    private final ColumnKey oldKey = key(1, OLD_KEY);
    private final ColumnKey newKey = key(2, NEW_KEY);

    private ColumnKey key(int version, String fernetKey) {
        return codec.deriveKey(codec.readMasterKey(version, fernetKey), "accounts", "token");
    }

    @Test
    void roundTripsAndWritesTheFernetLayout() throws UndecryptableException {
        long before = System.currentTimeMillis() / 1000;
        String token = codec.encrypt(oldKey, "7", PLAINTEXT.getBytes(UTF_8));
        byte[] raw = Base64.getUrlDecoder().decode(token);

        assertThat(token).startsWith("gAAAAA").matches("[A-Za-z0-9_-]+=*");
        assertThat(raw[0]).isEqualTo((byte) 0x80);
        assertThat((raw.length - 25 - 32) % 16).isZero();
        assertThat(codec.timestampOf(token)).isBetween(before, before + 5);
        assertThat(new String(codec.decrypt(oldKey, "another-row", token), UTF_8)).isEqualTo(PLAINTEXT);
        assertThat(codec.isUnder(oldKey, null, token)).isTrue();
        assertThat(codec.isUnder(newKey, null, token)).isFalse();
    }

    @Test
    void refusesTamperingAndNamesTheProblemWithoutSecrets() {
        String token = codec.encrypt(oldKey, "7", PLAINTEXT.getBytes(UTF_8));
        byte[] raw = Base64.getUrlDecoder().decode(token);

        assertRefused(oldKey, flip(raw, 30), UndecryptableException.Reason.AUTHENTICATION_FAILED, "HMAC mismatch");
        assertRefused(oldKey, flip(raw, raw.length - 1), UndecryptableException.Reason.AUTHENTICATION_FAILED,
                "HMAC mismatch");
        assertRefused(oldKey, flip(raw, 3), UndecryptableException.Reason.AUTHENTICATION_FAILED, "HMAC mismatch");
        assertRefused(newKey, token, UndecryptableException.Reason.AUTHENTICATION_FAILED, "HMAC mismatch");
        byte[] v81 = raw.clone();
        v81[0] = (byte) 0x81;
        assertRefused(oldKey, Base64.getUrlEncoder().encodeToString(v81), UndecryptableException.Reason.UNKNOWN_FORMAT,
                "version byte 0x81, not 0x80");
        assertRefused(oldKey, "not*base64", UndecryptableException.Reason.NOT_BASE64, "not base64");
        assertRefused(oldKey, Base64.getUrlEncoder().encodeToString(java.util.Arrays.copyOf(raw, 60)),
                UndecryptableException.Reason.TOO_SHORT, "too short");
    }

    @Test
    void refusesBadPaddingEvenUnderAValidHmac() {
        // A token signed with the right key whose last block does not unpad: only a key holder can make one.
        byte[] plaintext = new byte[16];
        String token = codec.encryptAt(oldKey, plaintext, 0, new byte[16]);
        byte[] raw = Base64.getUrlDecoder().decode(token);
        byte[] truncated = java.util.Arrays.copyOf(raw, raw.length - 32 - 16); // drop the padding block and the HMAC
        String resigned = resign(truncated);
        assertRefused(oldKey, resigned, UndecryptableException.Reason.BAD_PADDING, "bad padding after a valid MAC");
    }

    @Test
    void multiFernetStyleDecryptTriesEveryKeyAndRotateKeepsTheTime() throws UndecryptableException {
        String old = codec.encryptAt(oldKey, PLAINTEXT.getBytes(UTF_8), 1_600_000_000L, new byte[16]);
        String fresh = codec.encrypt(newKey, "1", "new".getBytes(UTF_8));
        List<ColumnKey> keyring = List.of(newKey, oldKey);

        assertThat(new String(codec.decryptWithAny(keyring, old), UTF_8)).isEqualTo(PLAINTEXT);
        assertThat(new String(codec.decryptWithAny(keyring, fresh), UTF_8)).isEqualTo("new");
        String rotated = codec.rotate(newKey, keyring, old);
        assertThat(codec.timestampOf(rotated)).isEqualTo(1_600_000_000L);
        String reencrypted = codec.reencrypt(newKey, "1", PLAINTEXT.getBytes(UTF_8), old);
        assertThat(codec.timestampOf(reencrypted)).isEqualTo(1_600_000_000L);
        assertThat(new String(codec.decrypt(newKey, null, reencrypted), UTF_8)).isEqualTo(PLAINTEXT);
        assertThat(new String(codec.decrypt(newKey, null, rotated), UTF_8)).isEqualTo(PLAINTEXT);
        UndecryptableException e = catchThrowableOfType(() -> codec.decryptWithAny(List.of(newKey), old),
                UndecryptableException.class);
        assertThat(e.getMessage()).isEqualTo(
                "undecryptable fernet value: authentication failed (wrong key, wrong row or tampered) (under none of"
                        + " the 1 keys)");
    }

    @Test
    void readsOnlyFernetKeysAndRefusesKeysOfOtherCodecs() {
        assertThatThrownBy(() -> codec.readMasterKey(1, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab"
                + "cdef")).isInstanceOf(IllegalArgumentException.class).hasMessage(
                        "Fernet key must decode to 32 bytes, got 48").hasMessageNotContaining("0123");
        assertThatThrownBy(() -> codec.readMasterKey(1, "a+b/" + OLD_KEY.substring(4)))
                .hasMessage("Fernet key must be URL-safe base64 (A-Z a-z 0-9 - _, '=' padding), got 44 characters "
                        + "that are not");
        ColumnKey lockbox = Codecs.lockbox().deriveKey(MasterKey.fromHex(1, "00".repeat(32)), "t", "c");
        assertThatThrownBy(() -> codec.encrypt(lockbox, "1", new byte[1])).hasMessageContaining("not fernet");
        assertThatThrownBy(() -> codec.deriveKey(codec.readMasterKey(1, OLD_KEY), "", "c"))
                .hasMessage("table label must not be empty");
        assertThat(oldKey.toString()).doesNotContain(OLD_KEY).contains("codec=fernet");
    }

    private void assertRefused(ColumnKey key, String token, UndecryptableException.Reason reason, String detail) {
        UndecryptableException e = catchThrowableOfType(() -> codec.decrypt(key, "7", token),
                UndecryptableException.class);
        assertThat(e).as("token %s", token).isNotNull();
        assertThat(e.reason()).isEqualTo(reason);
        assertThat(e.codec()).isEqualTo("fernet");
        assertThat(e.getMessage()).contains(detail).doesNotContain(OLD_KEY).doesNotContain(NEW_KEY)
                .doesNotContain(PLAINTEXT).doesNotContain(token);
        // isUnder checks the HMAC only: a badly padded token that a key holder signed counts as under that key.
        assertThat(codec.isUnder(key, "7", token)).isEqualTo(reason == UndecryptableException.Reason.BAD_PADDING);
    }

    private static String flip(byte[] raw, int index) {
        byte[] copy = raw.clone();
        copy[index] ^= 0x01;
        return Base64.getUrlEncoder().encodeToString(copy);
    }

    private static String resign(byte[] signed) {
        try {
            byte[] key = Base64.getUrlDecoder().decode(OLD_KEY);
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(key, 0, 16, "HmacSHA256"));
            byte[] tag = mac.doFinal(signed);
            byte[] out = java.util.Arrays.copyOf(signed, signed.length + tag.length);
            System.arraycopy(tag, 0, out, signed.length, tag.length);
            return Base64.getUrlEncoder().encodeToString(out);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}

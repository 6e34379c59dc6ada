package dev.rotor.contracts.cipher;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;

/**
 * Rotor's own envelope: {@code "rv1:" + base64url-no-padding(0x01 ‖ keyVersion[4, big-endian] ‖ nonce[12] ‖
 * ciphertext ‖ tag[16])}. The AAD is the 5 header bytes ‖ the UTF-8 row id, so the version cannot be rewritten and a
 * value moved to another row fails authentication.
 */
public final class RotorV1Codec implements ColumnCodec {
    public static final String NAME = "rotor-v1";
    public static final String PREFIX = "rv1:";

    private static final byte FORMAT = 0x01;
    private static final int HEADER_LENGTH = 5;
    private static final int NONCE_OFFSET = HEADER_LENGTH;
    private static final int CIPHERTEXT_OFFSET = HEADER_LENGTH + AesGcm.NONCE_LENGTH;
    private static final int MIN_LENGTH = CIPHERTEXT_OFFSET + AesGcm.TAG_LENGTH;
    private static final byte[] SALT_PREFIX = "rotor-v1|".getBytes(StandardCharsets.UTF_8);
    private static final byte[] INFO_PREFIX = "column|".getBytes(StandardCharsets.UTF_8);

    RotorV1Codec() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ColumnKey deriveKey(MasterKey master, String tableLabel, String columnLabel) {
        byte[] salt = Hkdf.concat(SALT_PREFIX, Hkdf.label("table label", tableLabel));
        byte[] info = Hkdf.concat(INFO_PREFIX, Hkdf.label("column label", columnLabel));
        return new ColumnKey(NAME, master.version(), tableLabel, columnLabel, Hkdf.sha384(master.bytes(), salt, info));
    }

    @Override
    public String encrypt(ColumnKey key, String rowId, byte[] plaintext) {
        return seal(key, rowId, plaintext, AesGcm.randomNonce(), AesGcm.perThread());
    }

    /** Test hook: a fixed nonce, on a fresh Cipher because the JDK refuses a repeated key and nonce on one instance. */
    String encryptWithNonce(ColumnKey key, String rowId, byte[] plaintext, byte[] nonce) {
        return seal(key, rowId, plaintext, nonce, AesGcm.newCipher());
    }

    private static String seal(ColumnKey key, String rowId, byte[] plaintext, byte[] nonce, Cipher cipher) {
        key.requireCodec(NAME);
        Objects.requireNonNull(plaintext, "plaintext");
        byte[] buf = new byte[MIN_LENGTH + plaintext.length];
        buf[0] = FORMAT;
        putInt(buf, 1, key.keyVersion());
        System.arraycopy(nonce, 0, buf, NONCE_OFFSET, AesGcm.NONCE_LENGTH);
        AesGcm.seal(cipher, key.secretKey(), buf, NONCE_OFFSET, aad(buf, rowId), plaintext, CIPHERTEXT_OFFSET);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(buf);
    }

    @Override
    public byte[] decrypt(ColumnKey key, String rowId, String stored) throws UndecryptableException {
        key.requireCodec(NAME);
        byte[] raw = parse(stored);
        int version = getInt(raw, 1);
        if (version != key.keyVersion()) {
            throw new UndecryptableException(NAME, UndecryptableException.Reason.KEY_VERSION_MISMATCH,
                    "value is under key version " + version + ", the key is version " + key.keyVersion());
        }
        try {
            return AesGcm.open(AesGcm.perThread(), key.secretKey(), raw, NONCE_OFFSET, aad(raw, rowId),
                    CIPHERTEXT_OFFSET, raw.length - CIPHERTEXT_OFFSET);
        } catch (AEADBadTagException e) {
            throw new UndecryptableException(NAME, UndecryptableException.Reason.AUTHENTICATION_FAILED);
        }
    }

    /** The master key version a value claims to be under, read without decrypting or authenticating it. */
    public int keyVersionOf(String stored) throws UndecryptableException {
        return getInt(parse(stored), 1);
    }

    /** A version check only: a value that claims this key's version is under it until {@link #decrypt} says not. */
    @Override
    public boolean isUnder(ColumnKey key, String rowId, String stored) {
        key.requireCodec(NAME);
        if (stored == null) {
            return false;
        }
        try {
            return keyVersionOf(stored) == key.keyVersion();
        } catch (UndecryptableException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return NAME;
    }

    private static byte[] parse(String stored) throws UndecryptableException {
        Objects.requireNonNull(stored, "stored");
        if (!stored.startsWith(PREFIX)) {
            throw new UndecryptableException(NAME, UndecryptableException.Reason.UNKNOWN_FORMAT,
                    "does not start with " + PREFIX);
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(stored.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new UndecryptableException(NAME, UndecryptableException.Reason.NOT_BASE64);
        }
        if (raw.length < MIN_LENGTH) {
            throw new UndecryptableException(NAME, UndecryptableException.Reason.TOO_SHORT);
        }
        if (raw[0] != FORMAT) {
            throw new UndecryptableException(NAME, UndecryptableException.Reason.UNKNOWN_FORMAT,
                    "format byte " + (raw[0] & 0xFF));
        }
        return raw;
    }

    private static byte[] aad(byte[] buf, String rowId) {
        if (rowId == null) {
            throw new IllegalArgumentException("rowId is required by " + NAME);
        }
        byte[] row = rowId.getBytes(StandardCharsets.UTF_8);
        byte[] aad = new byte[HEADER_LENGTH + row.length];
        System.arraycopy(buf, 0, aad, 0, HEADER_LENGTH);
        System.arraycopy(row, 0, aad, HEADER_LENGTH, row.length);
        return aad;
    }

    private static void putInt(byte[] buf, int offset, int value) {
        buf[offset] = (byte) (value >>> 24);
        buf[offset + 1] = (byte) (value >>> 16);
        buf[offset + 2] = (byte) (value >>> 8);
        buf[offset + 3] = (byte) value;
    }

    private static int getInt(byte[] buf, int offset) {
        return (buf[offset] & 0xFF) << 24 | (buf[offset + 1] & 0xFF) << 16 | (buf[offset + 2] & 0xFF) << 8
                | buf[offset + 3] & 0xFF;
    }
}

package dev.rotor.contracts.cipher;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;

/**
 * Ruby Lockbox's format, also ToolJet's: {@code base64(nonce[12] ‖ ciphertext ‖ tag[16])}, standard padded base64. The
 * value records no key id and no row, so {@link #isUnder} is a trial decrypt and the row id is ignored.
 */
public final class LockboxCodec implements ColumnCodec {
    public static final String NAME = "lockbox";

    private static final byte[] INFO_PREFIX = filled(32, (byte) 0xB4);
    private static final byte[] ATTRIBUTE_SUFFIX = "_ciphertext".getBytes(StandardCharsets.UTF_8);
    private static final int MIN_LENGTH = AesGcm.NONCE_LENGTH + AesGcm.TAG_LENGTH;

    LockboxCodec() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ColumnKey deriveKey(MasterKey master, String tableLabel, String columnLabel) {
        byte[] salt = Hkdf.label("table label", tableLabel);
        byte[] attribute = Hkdf.concat(Hkdf.label("column label", columnLabel), ATTRIBUTE_SUFFIX);
        return new ColumnKey(NAME, master.version(), tableLabel, columnLabel,
                Hkdf.sha384(master.bytes(), salt, Hkdf.concat(INFO_PREFIX, attribute)));
    }

    @Override
    public String encrypt(ColumnKey key, String rowId, byte[] plaintext) {
        return seal(key, plaintext, AesGcm.randomNonce(), AesGcm.perThread());
    }

    /** Test hook: a fixed nonce, on a fresh Cipher because the JDK refuses a repeated key and nonce on one instance. */
    String encryptWithNonce(ColumnKey key, byte[] plaintext, byte[] nonce) {
        return seal(key, plaintext, nonce, AesGcm.newCipher());
    }

    private static String seal(ColumnKey key, byte[] plaintext, byte[] nonce, Cipher cipher) {
        key.requireCodec(NAME);
        Objects.requireNonNull(plaintext, "plaintext");
        byte[] buf = new byte[MIN_LENGTH + plaintext.length];
        System.arraycopy(nonce, 0, buf, 0, AesGcm.NONCE_LENGTH);
        AesGcm.seal(cipher, key.secretKey(), buf, 0, null, plaintext, AesGcm.NONCE_LENGTH);
        return Base64.getEncoder().encodeToString(buf);
    }

    @Override
    public byte[] decrypt(ColumnKey key, String rowId, String stored) throws UndecryptableException {
        key.requireCodec(NAME);
        Objects.requireNonNull(stored, "stored");
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(stored);
        } catch (IllegalArgumentException e) {
            throw new UndecryptableException(NAME, UndecryptableException.Reason.NOT_BASE64);
        }
        if (raw.length < MIN_LENGTH) {
            throw new UndecryptableException(NAME, UndecryptableException.Reason.TOO_SHORT);
        }
        try {
            return AesGcm.open(AesGcm.perThread(), key.secretKey(), raw, 0, null, AesGcm.NONCE_LENGTH,
                    raw.length - AesGcm.NONCE_LENGTH);
        } catch (AEADBadTagException e) {
            throw new UndecryptableException(NAME, UndecryptableException.Reason.AUTHENTICATION_FAILED);
        }
    }

    @Override
    public boolean isUnder(ColumnKey key, String rowId, String stored) {
        if (stored == null) {
            return false;
        }
        try {
            decrypt(key, rowId, stored);
            return true;
        } catch (UndecryptableException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return NAME;
    }

    private static byte[] filled(int length, byte value) {
        byte[] out = new byte[length];
        Arrays.fill(out, value);
        return out;
    }
}

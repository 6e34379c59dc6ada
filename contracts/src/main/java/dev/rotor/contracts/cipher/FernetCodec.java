package dev.rotor.contracts.cipher;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Python {@code cryptography}'s Fernet, as Django apps use it (django-fernet-fields, MultiFernet): {@code
 * base64url(0x80 ‖ timestamp[8, big-endian seconds] ‖ iv[16] ‖ AES-128-CBC-PKCS7 ciphertext ‖ HMAC-SHA256[32])}, with
 * padding. The HMAC covers everything before it. The secret's value is the Fernet key itself ({@code
 * Fernet.generate_key()}: base64url of 32 bytes, read by {@link MasterKey#fromFernetKey}): the first 16 bytes sign, the
 * last 16 encrypt. There is no derivation, so the table and column labels only name the key.
 *
 * <p>No TTL is checked: Rotor re-encrypts data of any age. A re-encrypted token keeps the original time
 * ({@link #reencrypt}, {@link #rotate}), as {@code MultiFernet.rotate} does, so an app that decrypts with a {@code ttl}
 * sees a re-encrypted row as old as it was. The row id is ignored: a token binds no row.
 */
public final class FernetCodec implements ColumnCodec {
    public static final String NAME = "fernet";

    private static final byte VERSION = (byte) 0x80;
    private static final int IV_OFFSET = 9;
    private static final int IV_LENGTH = 16;
    private static final int CIPHERTEXT_OFFSET = IV_OFFSET + IV_LENGTH;
    private static final int HMAC_LENGTH = 32;
    private static final int BLOCK = 16;
    private static final int MIN_LENGTH = CIPHERTEXT_OFFSET + BLOCK + HMAC_LENGTH;
    private static final ThreadLocal<Cipher> CBC = ThreadLocal.withInitial(() -> jce(() ->
            Cipher.getInstance("AES/CBC/PKCS5Padding")));
    private static final ThreadLocal<Mac> HMAC = ThreadLocal.withInitial(() -> jce(() ->
            Mac.getInstance("HmacSHA256")));

    FernetCodec() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public MasterKey readMasterKey(int version, String written) {
        return MasterKey.fromFernetKey(version, written);
    }

    /** Splits the 32-byte Fernet key; the labels must be non-empty like every codec's, and only name the key. */
    @Override
    public ColumnKey deriveKey(MasterKey master, String tableLabel, String columnLabel) {
        Hkdf.label("table label", tableLabel);
        Hkdf.label("column label", columnLabel);
        byte[] bytes = master.bytes();
        return new ColumnKey(NAME, master.version(), tableLabel, columnLabel,
                new SecretKeySpec(bytes, 16, 16, "AES"), new SecretKeySpec(bytes, 0, 16, "HmacSHA256"));
    }

    @Override
    public String encrypt(ColumnKey key, String rowId, byte[] plaintext) {
        return encryptAtTime(key, plaintext, Instant.now().getEpochSecond());
    }

    /** Keeps {@code previous}'s time; a fresh IV. {@code previous} was authenticated by the decrypt that preceded. */
    @Override
    public String reencrypt(ColumnKey key, String rowId, byte[] plaintext, String previous) {
        long timestamp;
        try {
            timestamp = timestampOf(previous);
        } catch (UndecryptableException e) {
            throw new IllegalArgumentException("the previous value is not a Fernet token: " + e.getMessage(), e);
        }
        return encryptAtTime(key, plaintext, timestamp);
    }

    /** Fernet's {@code encrypt_at_time}: a given time (seconds since the epoch), a fresh IV. */
    public String encryptAtTime(ColumnKey key, byte[] plaintext, long timestamp) {
        return encryptAt(key, plaintext, timestamp, AesGcm.randomBytes(IV_LENGTH));
    }

    /** Fernet's {@code _encrypt_from_parts}: a given time and IV, for the known-answer tests. */
    String encryptAt(ColumnKey key, byte[] plaintext, long timestamp, byte[] iv) {
        key.requireCodec(NAME);
        Objects.requireNonNull(plaintext, "plaintext");
        int ctLength = (plaintext.length / BLOCK + 1) * BLOCK;
        byte[] buf = new byte[CIPHERTEXT_OFFSET + ctLength + HMAC_LENGTH];
        buf[0] = VERSION;
        for (int i = 0; i < 8; i++) {
            buf[1 + i] = (byte) (timestamp >>> (56 - 8 * i));
        }
        System.arraycopy(iv, 0, buf, IV_OFFSET, IV_LENGTH);
        try {
            Cipher cipher = CBC.get();
            cipher.init(Cipher.ENCRYPT_MODE, key.secretKey(), new IvParameterSpec(iv));
            cipher.doFinal(plaintext, 0, plaintext.length, buf, CIPHERTEXT_OFFSET);
            Mac mac = HMAC.get();
            mac.init(key.macKey());
            mac.update(buf, 0, CIPHERTEXT_OFFSET + ctLength);
            mac.doFinal(buf, CIPHERTEXT_OFFSET + ctLength);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CBC or HMAC-SHA256 failed: " + e.getClass().getSimpleName(), e);
        }
        return Base64.getUrlEncoder().encodeToString(buf);
    }

    /** Verifies the HMAC in constant time, then decrypts. */
    @Override
    public byte[] decrypt(ColumnKey key, String rowId, String stored) throws UndecryptableException {
        key.requireCodec(NAME);
        byte[] raw = parse(stored);
        authenticate(key, raw);
        int ctLength = raw.length - CIPHERTEXT_OFFSET - HMAC_LENGTH;
        if (ctLength % BLOCK != 0) {
            throw new UndecryptableException(NAME, UndecryptableException.Reason.UNKNOWN_FORMAT,
                    "ciphertext is not a whole number of AES blocks");
        }
        try {
            Cipher cipher = CBC.get();
            cipher.init(Cipher.DECRYPT_MODE, key.secretKey(), new IvParameterSpec(raw, IV_OFFSET, IV_LENGTH));
            return cipher.doFinal(raw, CIPHERTEXT_OFFSET, ctLength);
        } catch (BadPaddingException e) {
            throw new UndecryptableException(NAME, UndecryptableException.Reason.BAD_PADDING);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CBC failed: " + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * MultiFernet's decrypt, for the app side of the grace: each key in turn, the first that authenticates wins.
     *
     * @throws UndecryptableException {@code AUTHENTICATION_FAILED} if no key does, or the format problem
     */
    public byte[] decryptWithAny(List<ColumnKey> keys, String stored) throws UndecryptableException {
        for (ColumnKey key : keys) {
            if (isUnder(key, null, stored)) {
                return decrypt(key, null, stored);
            }
        }
        parse(stored); // a malformed token is named as such, not as a key mismatch
        throw new UndecryptableException(NAME, UndecryptableException.Reason.AUTHENTICATION_FAILED,
                "under none of the " + keys.size() + " keys");
    }

    /** MultiFernet's rotate: decrypts with any of {@code keys} and encrypts under {@code target}, keeping the time. */
    public String rotate(ColumnKey target, List<ColumnKey> keys, String stored) throws UndecryptableException {
        byte[] plaintext = decryptWithAny(keys, stored);
        try {
            return encryptAtTime(target, plaintext, timestampOf(stored));
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    /** The creation time a token claims, in seconds since the epoch; not authenticated. */
    public long timestampOf(String stored) throws UndecryptableException {
        byte[] raw = parse(stored);
        long t = 0;
        for (int i = 1; i <= 8; i++) {
            t = t << 8 | (raw[i] & 0xFF);
        }
        return t;
    }

    /** An HMAC check: no decryption. Malformed values are under no key. */
    @Override
    public boolean isUnder(ColumnKey key, String rowId, String stored) {
        key.requireCodec(NAME);
        try {
            authenticate(key, parse(stored));
            return true;
        } catch (UndecryptableException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return NAME;
    }

    private static byte[] parse(String stored) throws UndecryptableException {
        if (stored == null) {
            throw new UndecryptableException(NAME, UndecryptableException.Reason.TOO_SHORT, "no value");
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(stored);
        } catch (IllegalArgumentException e) {
            throw new UndecryptableException(NAME, UndecryptableException.Reason.NOT_BASE64);
        }
        if (raw.length < 1 || raw[0] != VERSION) {
            throw new UndecryptableException(NAME, UndecryptableException.Reason.UNKNOWN_FORMAT,
                    raw.length < 1 ? "empty" : "version byte 0x" + Integer.toHexString(raw[0] & 0xFF) + ", not 0x80");
        }
        if (raw.length < MIN_LENGTH) {
            throw new UndecryptableException(NAME, UndecryptableException.Reason.TOO_SHORT);
        }
        return raw;
    }

    private static void authenticate(ColumnKey key, byte[] raw) throws UndecryptableException {
        int signed = raw.length - HMAC_LENGTH;
        byte[] expected;
        try {
            Mac mac = HMAC.get();
            mac.init(key.macKey());
            mac.update(raw, 0, signed);
            expected = mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 failed: " + e.getClass().getSimpleName(), e);
        }
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(raw, signed, raw.length))) {
            throw new UndecryptableException(NAME, UndecryptableException.Reason.AUTHENTICATION_FAILED,
                    "HMAC mismatch");
        }
    }

    private interface JceSupplier<T> {
        T get() throws GeneralSecurityException;
    }

    private static <T> T jce(JceSupplier<T> supplier) {
        try {
            return supplier.get();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks AES-CBC or HMAC-SHA256", e);
        }
    }
}

package dev.rotor.contracts.cipher;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Rails' {@code ActiveRecord::Encryption} (Rails 7.0 and later), as {@code encrypts :attr} stores it: the JSON message
 * {@code {"p":base64(ciphertext),"h":{"iv":base64(iv[12]),"at":base64(tag[16]),…}}} of AES-256-GCM with no AAD.
 * Optional headers, base64 like the others except {@code c}: {@code e} (the plaintext's Ruby encoding, when not UTF-8),
 * {@code i} (the key reference, {@code store_key_references}: 4 hex digits of the SHA-1 of the key) and {@code c}
 * ({@code true}: the payload was deflated with zlib before encryption).
 *
 * <p>The secret's value is the Rails key itself, {@code primary_key} for {@code activerecord} or {@code
 * deterministic_key} for {@code activerecord-deterministic}: any string, e.g. the 32 letters and digits {@code
 * bin/rails db:encryption:init} prints. The AES key is {@code ActiveSupport::KeyGenerator}'s PBKDF2 of it with the
 * app's {@code key_derivation_salt}, 2^16 iterations, HMAC-SHA256 ({@code hash_digest_class} of Rails 7.1's defaults) or HMAC-SHA1
 * (Rails 7.0), 32 bytes: one key for every column, so the labels only name it. The salt and the digest are the app's
 * settings, not a version's: {@link #withDerivation} gives a codec that has them; the one {@link Codecs} holds refuses
 * to read a key.
 *
 * <p>Writes as Rails' {@code Encryptor} does: a payload over 140 bytes is deflated (zlib's default level) and marked
 * {@code c}; the deterministic mode's IV is the first 12 bytes of HMAC-SHA256(key, the payload as encrypted), so an app
 * can still find a row by its value. A re-encrypted value keeps the shape of the one it replaces ({@link #reencrypt}):
 * compressed or not, its {@code e}, and a key reference if it had one. The row id is ignored: a message binds no row.
 */
public final class ActiveRecordCodec implements ColumnCodec {
    public static final String NAME = "activerecord";
    public static final String DETERMINISTIC_NAME = "activerecord-deterministic";
    /** {@code ActiveSupport::KeyGenerator}'s default iterations. */
    static final int ITERATIONS = 1 << 16;

    /** {@code config.active_record.encryption.hash_digest_class}, for the key derivation. */
    public enum HashDigest {
        SHA256("PBKDF2WithHmacSHA256"), SHA1("PBKDF2WithHmacSHA1");

        private final String algorithm;

        HashDigest(String algorithm) {
            this.algorithm = algorithm;
        }

        /** {@code sha256} (the default when null) or {@code sha1}, either case. */
        public static HashDigest parse(String name) {
            if (name == null) {
                return SHA256;
            }
            return switch (name.toLowerCase(Locale.ROOT)) {
                case "sha256" -> SHA256;
                case "sha1" -> SHA1;
                default -> throw new IllegalArgumentException("hash digest must be sha256 or sha1, got '" + name + "'");
            };
        }
    }

    private static final ThreadLocal<Mac> HMAC = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks HMAC-SHA256", e);
        }
    });

    private final boolean deterministic;
    private final byte[] salt;
    private final HashDigest digest;

    ActiveRecordCodec(boolean deterministic) {
        this(deterministic, null, HashDigest.SHA256);
    }

    private ActiveRecordCodec(boolean deterministic, byte[] salt, HashDigest digest) {
        this.deterministic = deterministic;
        this.salt = salt;
        this.digest = digest;
    }

    /**
     * This codec with the app's key derivation settings, which {@link #readMasterKey} needs.
     *
     * @param keyDerivationSalt {@code active_record_encryption.key_derivation_salt}, as UTF-8
     */
    public ActiveRecordCodec withDerivation(String keyDerivationSalt, HashDigest digest) {
        if (keyDerivationSalt == null || keyDerivationSalt.isEmpty()) {
            throw new IllegalArgumentException("the " + name() + " codec needs the app's key_derivation_salt");
        }
        return new ActiveRecordCodec(deterministic, keyDerivationSalt.getBytes(StandardCharsets.UTF_8),
                Objects.requireNonNull(digest, "digest"));
    }

    @Override
    public String name() {
        return deterministic ? DETERMINISTIC_NAME : NAME;
    }

    public boolean deterministic() {
        return deterministic;
    }

    /** Derives the AES key from the Rails key as {@code ActiveRecord::Encryption::KeyGenerator#derive_key_from}. */
    @Override
    public MasterKey readMasterKey(int version, String written) {
        if (salt == null) {
            throw new IllegalArgumentException("the " + name() + " codec needs the app's key_derivation_salt to read"
                    + " a key");
        }
        if (written == null || written.isEmpty()) {
            throw new IllegalArgumentException("Rails encryption key is missing or empty");
        }
        PBEKeySpec spec = new PBEKeySpec(written.toCharArray(), salt, ITERATIONS, MasterKey.LENGTH * 8);
        byte[] derived = null;
        try {
            derived = SecretKeyFactory.getInstance(digest.algorithm).generateSecret(spec).getEncoded();
            return MasterKey.of(version, derived);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2 failed: " + e.getClass().getSimpleName(), e);
        } finally {
            spec.clearPassword();
            if (derived != null) {
                Arrays.fill(derived, (byte) 0);
            }
        }
    }

    /** The derived key for every column: the AES key, and the same bytes for the deterministic IV's HMAC. */
    @Override
    public ColumnKey deriveKey(MasterKey master, String tableLabel, String columnLabel) {
        Hkdf.label("table label", tableLabel);
        Hkdf.label("column label", columnLabel);
        byte[] bytes = master.bytes();
        return new ColumnKey(name(), master.version(), tableLabel, columnLabel, new SecretKeySpec(bytes, "AES"),
                new SecretKeySpec(bytes, "HmacSHA256"));
    }

    @Override
    public String encrypt(ColumnKey key, String rowId, byte[] plaintext) {
        Objects.requireNonNull(plaintext, "plaintext");
        return seal(key, plaintext, plaintext.length > ActiveRecordMessage.COMPRESSION_THRESHOLD, null, false, null);
    }

    /** Test hook: Rails' compression rule, a given IV in the random mode, the given {@code e} and {@code i}. */
    String encryptWithIv(ColumnKey key, byte[] plaintext, byte[] iv, String encoding, boolean keyReference) {
        return seal(key, plaintext, plaintext.length > ActiveRecordMessage.COMPRESSION_THRESHOLD,
                encoding == null ? null : encoding.getBytes(StandardCharsets.US_ASCII), keyReference, iv);
    }

    /** Keeps {@code previous}'s compression, encoding and key reference; {@code previous} was just decrypted. */
    @Override
    public String reencrypt(ColumnKey key, String rowId, byte[] plaintext, String previous) {
        ActiveRecordMessage before;
        try {
            before = ActiveRecordMessage.parse(name(), previous);
        } catch (UndecryptableException e) {
            throw new IllegalArgumentException("the previous value is not an Active Record message: "
                    + e.getMessage(), e);
        }
        return seal(key, plaintext, before.compressed(), before.encoding(), before.keyReference() != null, null);
    }

    private String seal(ColumnKey key, byte[] plaintext, boolean compress, byte[] encoding, boolean keyReference,
            byte[] fixedIv) {
        key.requireCodec(name());
        Objects.requireNonNull(plaintext, "plaintext");
        byte[] payload = compress ? ActiveRecordMessage.deflate(plaintext) : plaintext;
        byte[] iv = deterministic ? deterministicIv(key, payload) : fixedIv != null ? fixedIv : AesGcm.randomNonce();
        // A fresh Cipher for a repeatable IV: the JDK refuses the same key and IV twice on one instance.
        Cipher cipher = deterministic || fixedIv != null ? AesGcm.newCipher() : AesGcm.perThread();
        byte[] buf = new byte[AesGcm.NONCE_LENGTH + payload.length + AesGcm.TAG_LENGTH];
        System.arraycopy(iv, 0, buf, 0, AesGcm.NONCE_LENGTH);
        AesGcm.seal(cipher, key.secretKey(), buf, 0, null, payload, AesGcm.NONCE_LENGTH);
        byte[] ciphertext = Arrays.copyOfRange(buf, AesGcm.NONCE_LENGTH, buf.length - AesGcm.TAG_LENGTH);
        byte[] tag = Arrays.copyOfRange(buf, buf.length - AesGcm.TAG_LENGTH, buf.length);
        return new ActiveRecordMessage(ciphertext, iv, tag, encoding, keyReference ? keyId(key) : null, compress)
                .toJson();
    }

    /** {@code Aes256Gcm#generate_deterministic_iv}: HMAC-SHA256 of what is encrypted, first 12 bytes. */
    private static byte[] deterministicIv(ColumnKey key, byte[] payload) {
        try {
            Mac mac = HMAC.get();
            mac.init(key.macKey());
            return Arrays.copyOf(mac.doFinal(payload), AesGcm.NONCE_LENGTH);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 failed: " + e.getClass().getSimpleName(), e);
        }
    }

    /** {@code ActiveRecord::Encryption::Key#id}: the first 4 hex digits of the key's SHA-1, as ASCII. */
    static byte[] keyId(ColumnKey key) {
        byte[] secret = key.secretKey().getEncoded();
        try {
            String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(secret));
            return hex.substring(0, 4).getBytes(StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks SHA-1", e);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    /** Authenticates, then inflates a compressed payload. Envelope encryption ({@code k}) is refused. */
    @Override
    public byte[] decrypt(ColumnKey key, String rowId, String stored) throws UndecryptableException {
        key.requireCodec(name());
        ActiveRecordMessage message = ActiveRecordMessage.parse(name(), stored);
        byte[] buf = new byte[AesGcm.NONCE_LENGTH + message.ciphertext().length + AesGcm.TAG_LENGTH];
        System.arraycopy(message.iv(), 0, buf, 0, AesGcm.NONCE_LENGTH);
        System.arraycopy(message.ciphertext(), 0, buf, AesGcm.NONCE_LENGTH, message.ciphertext().length);
        System.arraycopy(message.tag(), 0, buf, buf.length - AesGcm.TAG_LENGTH, AesGcm.TAG_LENGTH);
        byte[] payload;
        try {
            payload = AesGcm.open(AesGcm.perThread(), key.secretKey(), buf, 0, null, AesGcm.NONCE_LENGTH,
                    buf.length - AesGcm.NONCE_LENGTH);
        } catch (AEADBadTagException e) {
            throw new UndecryptableException(name(), UndecryptableException.Reason.AUTHENTICATION_FAILED);
        }
        if (!message.compressed()) {
            return payload;
        }
        try {
            return ActiveRecordMessage.inflate(name(), payload);
        } finally {
            Arrays.fill(payload, (byte) 0);
        }
    }

    /** A trial decrypt: a key reference has only 16 bits, and an authenticated tag is the proof anyway. */
    @Override
    public boolean isUnder(ColumnKey key, String rowId, String stored) {
        if (stored == null) {
            return false;
        }
        try {
            Arrays.fill(decrypt(key, rowId, stored), (byte) 0);
            return true;
        } catch (UndecryptableException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return name();
    }
}

package dev.rotor.contracts.cipher;

/** One stored-ciphertext format. Implementations are stateless and thread-safe. */
public interface ColumnCodec {

    /**
     * The name used in the catalog: {@code lockbox}, {@code rotor-v1}, {@code fernet}, {@code activerecord} or {@code
     * activerecord-deterministic}.
     */
    String name();

    /**
     * Reads a master key as the secret's value writes it: 64 hex digits for {@code lockbox} and {@code rotor-v1}, a
     * Fernet key (URL-safe base64 of 32 bytes) for {@code fernet}; for the {@code activerecord} codecs, the Rails key,
     * from which the AES key is derived with the app's salt ({@link ActiveRecordCodec#withDerivation}).
     *
     * @throws IllegalArgumentException naming lengths or positions only, never the value
     */
    default MasterKey readMasterKey(int version, String written) {
        return MasterKey.fromHex(version, written);
    }

    /**
     * Derives the column key for these labels. Costly next to a row: call it through {@link DerivedKeyCache}.
     *
     * @throws IllegalArgumentException if a label is null or empty
     */
    ColumnKey deriveKey(MasterKey master, String tableLabel, String columnLabel);

    /**
     * Encrypts under a fresh random nonce.
     *
     * @param rowId the row's id; bound into the value by codecs that support it, ignored by {@code lockbox}
     */
    String encrypt(ColumnKey key, String rowId, byte[] plaintext);

    /**
     * Encrypts {@code plaintext}, just decrypted from {@code previous}, as its replacement. The same as
     * {@link #encrypt} except for formats that carry metadata worth keeping: {@code fernet} keeps the token's time, as
     * {@code MultiFernet.rotate} does, so an app's TTL sees a re-encrypted row as old as it was; {@code activerecord}
     * keeps a message's compression, encoding and key reference.
     *
     * @param previous the stored value {@code plaintext} came from, already authenticated by {@link #decrypt}
     */
    default String reencrypt(ColumnKey key, String rowId, byte[] plaintext, String previous) {
        return encrypt(key, rowId, plaintext);
    }

    /** Decrypts and authenticates a stored value; never returns unauthenticated bytes. */
    byte[] decrypt(ColumnKey key, String rowId, String stored) throws UndecryptableException;

    /**
     * Whether the stored value is under this key: a trial decrypt for {@code lockbox}, a key-version check (no
     * authentication) for {@code rotor-v1}. Malformed values are not under any key.
     */
    boolean isUnder(ColumnKey key, String rowId, String stored);
}

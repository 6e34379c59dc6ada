package dev.rotor.contracts.cipher;

import javax.crypto.SecretKey;

/**
 * The key for one column, derived by one codec from one master key version: an AES-256 key for the GCM codecs (for the
 * {@code activerecord} codecs, with the same bytes as the deterministic IV's HMAC key); for {@code fernet}, the AES-128
 * encryption key and the HMAC-SHA256 signing key. Get it from a {@link DerivedKeyCache}.
 * Its {@code toString} names the labels and the version, never the key.
 */
public final class ColumnKey {
    private final String codec;
    private final int keyVersion;
    private final String tableLabel;
    private final String columnLabel;
    private final SecretKey secretKey;
    private final SecretKey macKey;

    ColumnKey(String codec, int keyVersion, String tableLabel, String columnLabel, SecretKey secretKey) {
        this(codec, keyVersion, tableLabel, columnLabel, secretKey, null);
    }

    ColumnKey(String codec, int keyVersion, String tableLabel, String columnLabel, SecretKey secretKey,
            SecretKey macKey) {
        this.codec = codec;
        this.keyVersion = keyVersion;
        this.tableLabel = tableLabel;
        this.columnLabel = columnLabel;
        this.secretKey = secretKey;
        this.macKey = macKey;
    }

    /** The name of the codec that derived this key; only that codec accepts it. */
    public String codec() {
        return codec;
    }

    /** The version of the master key this was derived from. */
    public int keyVersion() {
        return keyVersion;
    }

    public String tableLabel() {
        return tableLabel;
    }

    public String columnLabel() {
        return columnLabel;
    }

    SecretKey secretKey() {
        return secretKey;
    }

    /** Fernet's signing key, or the HMAC key of Active Record's deterministic IV; null for the other codecs. */
    SecretKey macKey() {
        return macKey;
    }

    /** Fails fast on a key derived by another codec: its bytes would only ever fail authentication. */
    void requireCodec(String expected) {
        if (!codec.equals(expected)) {
            throw new IllegalArgumentException("column key was derived by codec " + codec + ", not " + expected);
        }
    }

    @Override
    public String toString() {
        return "ColumnKey[codec=" + codec + ", version=" + keyVersion + ", table=" + tableLabel + ", column="
                + columnLabel + "]";
    }
}

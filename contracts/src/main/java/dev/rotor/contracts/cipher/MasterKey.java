package dev.rotor.contracts.cipher;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.security.auth.Destroyable;

/**
 * A 32-byte master key and the version its key store gave it. It never prints its bytes, and has no {@code equals}:
 * compare keys with {@link #sameSecretAs}, which runs in constant time.
 */
public final class MasterKey implements Destroyable {
    public static final int LENGTH = 32;

    private final int version;
    private final byte[] bytes;
    private volatile boolean destroyed;

    private MasterKey(int version, byte[] bytes) {
        if (version < 0) {
            throw new IllegalArgumentException("master key version must be >= 0, got " + version);
        }
        this.version = version;
        this.bytes = bytes;
    }

    /** Parses a key written as 64 hex digits (either case), as in {@code LOCKBOX_MASTER_KEY}. */
    public static MasterKey fromHex(int version, String hex) {
        if (hex == null) {
            throw new IllegalArgumentException("master key is missing");
        }
        if (hex.length() != 2 * LENGTH) {
            throw new IllegalArgumentException(
                    "master key must be " + 2 * LENGTH + " hex digits (32 bytes), got " + hex.length() + " characters");
        }
        byte[] out = new byte[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            int hi = hexDigit(hex.charAt(2 * i));
            int lo = hexDigit(hex.charAt(2 * i + 1));
            if (hi < 0 || lo < 0) {
                Arrays.fill(out, (byte) 0);
                int position = hi < 0 ? 2 * i : 2 * i + 1;
                throw new IllegalArgumentException("master key must be hex digits only: character " + position
                        + " is not one");
            }
            out[i] = (byte) (hi << 4 | lo);
        }
        return new MasterKey(version, out);
    }

    /**
     * Parses a Fernet key as {@code Fernet.generate_key()} prints it: URL-safe base64 of 32 bytes (44 characters with
     * padding; the padding may be left off). Messages name lengths only.
     */
    public static MasterKey fromFernetKey(int version, String base64url) {
        if (base64url == null) {
            throw new IllegalArgumentException("Fernet key is missing");
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(base64url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Fernet key must be URL-safe base64 (A-Z a-z 0-9 - _, '=' padding), got "
                    + base64url.length() + " characters that are not");
        }
        if (raw.length != LENGTH) {
            Arrays.fill(raw, (byte) 0);
            throw new IllegalArgumentException("Fernet key must decode to 32 bytes, got " + raw.length);
        }
        return new MasterKey(version, raw);
    }

    /** Wraps a copy of raw key bytes; the caller may zero its own array afterwards. */
    public static MasterKey of(int version, byte[] raw) {
        Objects.requireNonNull(raw, "raw");
        if (raw.length != LENGTH) {
            throw new IllegalArgumentException("master key must be 32 bytes, got " + raw.length);
        }
        return new MasterKey(version, raw.clone());
    }

    /** An independent copy, destroyed on its own: for a holder that outlives this instance's owner. */
    public MasterKey copy() {
        return new MasterKey(version, bytes().clone());
    }

    public int version() {
        return version;
    }

    /** The live array, not a copy: for key derivation in this package only. */
    byte[] bytes() {
        if (destroyed) {
            throw new IllegalStateException("master key version " + version + " has been destroyed");
        }
        return bytes;
    }

    /** Whether both hold the same 32 bytes, compared in constant time. Versions are not compared. */
    public boolean sameSecretAs(MasterKey other) {
        return MessageDigest.isEqual(bytes(), other.bytes());
    }

    /** Zeroes the key bytes. Column keys already derived from it stay usable; evict them from the cache. */
    @Override
    public void destroy() {
        destroyed = true;
        Arrays.fill(bytes, (byte) 0);
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public String toString() {
        return "MasterKey[version=" + version + (destroyed ? ", destroyed" : "") + "]";
    }

    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}

package dev.rotor.contracts.cipher;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/** HKDF-SHA384 (RFC 5869) to a 32-byte AES key, and the label checks both codecs share. */
final class Hkdf {
    static final int KEY_LENGTH = 32;

    private Hkdf() {
    }

    static SecretKey sha384(byte[] ikm, byte[] salt, byte[] info) {
        HKDFBytesGenerator generator = new HKDFBytesGenerator(new SHA384Digest());
        generator.init(new HKDFParameters(ikm, salt, info));
        byte[] okm = new byte[KEY_LENGTH];
        generator.generateBytes(okm, 0, KEY_LENGTH);
        try {
            return new SecretKeySpec(okm, "AES");
        } finally {
            Arrays.fill(okm, (byte) 0);
        }
    }

    /** A non-empty label as UTF-8; Lockbox refuses empty labels too. */
    static byte[] label(String name, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        return value.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

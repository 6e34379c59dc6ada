package dev.rotor.contracts.cipher;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM through the JDK provider, which uses the AES-NI and CLMUL intrinsics (faster than Bouncy Castle's pure
 * Java GCM for ~200-byte values; see {@code CodecThroughput} in the tests). A {@link Cipher} is not thread-safe, so each
 * thread keeps its own, re-initialised for every value.
 */
final class AesGcm {
    static final int NONCE_LENGTH = 12;
    static final int TAG_LENGTH = 16;

    private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(AesGcm::newCipher);
    // One DRBG per thread: all NativePRNG instances (Linux's default) share one lock, and 2 threads got 1/4 the nonces.
    private static final ThreadLocal<SecureRandom> RANDOMS = ThreadLocal.withInitial(AesGcm::newRandom);

    private AesGcm() {
    }

    static Cipher perThread() {
        return CIPHERS.get();
    }

    static Cipher newCipher() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM/NoPadding is not available in this JDK", e);
        }
    }

    private static SecureRandom newRandom() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the DRBG SecureRandom is not available in this JDK", e);
        }
    }

    static byte[] randomNonce() {
        return randomBytes(NONCE_LENGTH);
    }

    /** Bytes from this thread's DRBG: nonces here, Fernet's IVs. */
    static byte[] randomBytes(int length) {
        byte[] out = new byte[length];
        RANDOMS.get().nextBytes(out);
        return out;
    }

    /**
     * Encrypts {@code plaintext} into {@code buf} at {@code outOffset} (ciphertext then tag), with the nonce already in
     * {@code buf} at {@code nonceOffset}.
     */
    static void seal(Cipher cipher, SecretKey key, byte[] buf, int nonceOffset, byte[] aad, byte[] plaintext,
            int outOffset) {
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_LENGTH * 8, buf, nonceOffset, NONCE_LENGTH));
            if (aad != null) {
                cipher.updateAAD(aad);
            }
            cipher.doFinal(plaintext, 0, plaintext.length, buf, outOffset);
        } catch (GeneralSecurityException e) {
            // Includes the JDK refusing the same key and nonce twice in a row: a broken random source, never retried.
            throw new IllegalStateException("AES-GCM encryption failed: " + e.getClass().getSimpleName(), e);
        }
    }

    /** Decrypts {@code buf[ctOffset, ctOffset + ctAndTagLength)} and checks the tag. */
    static byte[] open(Cipher cipher, SecretKey key, byte[] buf, int nonceOffset, byte[] aad, int ctOffset,
            int ctAndTagLength) throws AEADBadTagException {
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_LENGTH * 8, buf, nonceOffset, NONCE_LENGTH));
            if (aad != null) {
                cipher.updateAAD(aad);
            }
            return cipher.doFinal(buf, ctOffset, ctAndTagLength);
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed: " + e.getClass().getSimpleName(), e);
        }
    }
}

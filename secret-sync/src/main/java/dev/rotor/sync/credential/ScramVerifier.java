package dev.rotor.sync.credential;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * PostgreSQL's SCRAM-SHA-256 password verifier (RFC 5802/7677, as {@code pg_authid.rolpassword} stores it),
 * computed client-side so that {@code ALTER ROLE … PASSWORD} carries the verifier and never the password: the
 * plaintext cannot reach the server's statement log or {@code pg_stat_statements}.
 *
 * <p>Passwords are used as UTF-8. PostgreSQL applies SASLprep first; for ASCII (every generated password) that is
 * the identity. Other text gets NFKC, which SASLprep's mapping mostly is; the login check after every change
 * catches the rare password where the two would differ.
 */
public final class ScramVerifier {
    public static final int ITERATIONS = 4096;
    private static final SecureRandom RANDOM = new SecureRandom();

    private ScramVerifier() {
    }

    /** {@code SCRAM-SHA-256$4096:<salt>$<StoredKey>:<ServerKey>} with a fresh random 16-byte salt. */
    public static String of(String password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return of(password, salt, ITERATIONS);
    }

    static String of(String password, byte[] salt, int iterations) {
        try {
            String prepared = isAscii(password) ? password : Normalizer.normalize(password, Normalizer.Form.NFKC);
            PBEKeySpec spec = new PBEKeySpec(prepared.toCharArray(), salt, iterations, 256);
            byte[] salted = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            spec.clearPassword();
            byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(hmac(salted, "Client Key"));
            byte[] serverKey = hmac(salted, "Server Key");
            Base64.Encoder b64 = Base64.getEncoder();
            return "SCRAM-SHA-256$" + iterations + ":" + b64.encodeToString(salt) + "$" + b64.encodeToString(storedKey)
                    + ":" + b64.encodeToString(serverKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SCRAM-SHA-256 is not available: " + e.getClass().getSimpleName(), e);
        }
    }

    private static byte[] hmac(byte[] key, String message) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean isAscii(String s) {
        return s.chars().allMatch(c -> c < 0x80);
    }
}

package dev.rotor.orchestrator.incident;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 signatures of inbound webhooks, compared in constant time. Every scheme signs the raw body bytes as
 * received; a header with several signatures (PagerDuty lists one per active secret during a secret change) passes
 * when any of them matches.
 */
public final class WebhookSignatures {
    private WebhookSignatures() {
    }

    /** PagerDuty V3: {@code X-PagerDuty-Signature: v1=<hex>[,v1=<hex>...]}. */
    public static boolean pagerDuty(String secret, byte[] body, String header) {
        return anyMatches(secret, body, header, "v1=");
    }

    /** GitHub: {@code X-Hub-Signature-256: sha256=<hex>}. */
    public static boolean gitHub(String secret, byte[] body, String header) {
        return anyMatches(secret, body, header, "sha256=");
    }

    /**
     * The generic webhook: {@code X-Rotor-Signature: v1=<hex>} over the timestamp, a dot, and the body
     * ({@code <X-Rotor-Timestamp>.<body>}), so that a captured delivery cannot be replayed with a new timestamp.
     */
    public static boolean generic(String secret, String timestamp, byte[] body, String header) {
        byte[] prefix = (timestamp + ".").getBytes(StandardCharsets.UTF_8);
        byte[] signed = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, signed, 0, prefix.length);
        System.arraycopy(body, 0, signed, prefix.length, body.length);
        return anyMatches(secret, signed, header, "v1=");
    }

    /** Hex HMAC-SHA256 of {@code data} under {@code secret}: what a sender puts after the scheme's prefix. */
    public static String hex(String secret, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(data));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static boolean anyMatches(String secret, byte[] body, String header, String prefix) {
        if (secret == null || secret.isEmpty() || header == null || header.isBlank()) {
            return false;
        }
        byte[] expected = hex(secret, body).getBytes(StandardCharsets.US_ASCII);
        boolean matched = false;
        for (String part : header.split(",")) {
            String candidate = part.trim();
            if (candidate.regionMatches(true, 0, prefix, 0, prefix.length())) {
                byte[] given = candidate.substring(prefix.length()).toLowerCase(Locale.ROOT)
                        .getBytes(StandardCharsets.US_ASCII);
                // Every candidate is compared, matched or not, so the time taken does not say which one matched.
                matched |= MessageDigest.isEqual(expected, given);
            }
        }
        return matched;
    }
}

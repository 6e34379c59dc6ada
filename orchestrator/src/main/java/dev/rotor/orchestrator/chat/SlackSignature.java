package dev.rotor.orchestrator.chat;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Slack's request signature, version {@code v0}: {@code "v0=" + hex(HMAC-SHA256(signing secret,
 * "v0:" + X-Slack-Request-Timestamp + ":" + raw body))}, compared in constant time, with the timestamp at most
 * {@code maxAge} from now either way. The outcome says why a request was refused, never with any of its values.
 */
public final class SlackSignature {
    /** Why a request was refused, or {@link #VALID}. */
    public enum Verdict {
        VALID("valid"),
        NOT_CONFIGURED("no Slack signing secret is configured"),
        MISSING("X-Slack-Request-Timestamp or X-Slack-Signature is missing"),
        STALE("the request timestamp is not within the allowed window"),
        MISMATCH("the signature does not match");

        private final String why;

        Verdict(String why) {
            this.why = why;
        }

        public String why() {
            return why;
        }
    }

    private static final String VERSION = "v0";

    private final byte[] secret;
    private final Duration maxAge;

    public SlackSignature(String signingSecret, Duration maxAge) {
        this.secret = signingSecret == null || signingSecret.isEmpty() ? null
                : signingSecret.getBytes(StandardCharsets.UTF_8);
        this.maxAge = maxAge;
    }

    public Verdict verify(String timestamp, String signature, byte[] body, Instant now) {
        if (secret == null) {
            return Verdict.NOT_CONFIGURED;
        }
        if (timestamp == null || signature == null || body == null) {
            return Verdict.MISSING;
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return Verdict.STALE;
        }
        if (Math.abs(now.getEpochSecond() - seconds) > maxAge.toSeconds()) {
            return Verdict.STALE;
        }
        byte[] expected = sign(timestamp.trim(), body).getBytes(StandardCharsets.US_ASCII);
        byte[] given = signature.trim().getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given) ? Verdict.VALID : Verdict.MISMATCH;
    }

    /** {@code v0=<hex>} for this timestamp and body. */
    String sign(String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update((VERSION + ":" + timestamp + ":").getBytes(StandardCharsets.UTF_8));
            return VERSION + "=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** Never the secret. */
    @Override
    public String toString() {
        return "SlackSignature[" + (secret == null ? "not configured" : "configured") + "]";
    }
}

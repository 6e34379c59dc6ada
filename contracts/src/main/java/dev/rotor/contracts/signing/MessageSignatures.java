package dev.rotor.contracts.signing;

import dev.rotor.contracts.cipher.Ed25519;
import dev.rotor.contracts.messages.CloudEvents;
import dev.rotor.contracts.messages.KafkaEnvelope;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.List;
import org.apache.kafka.common.header.Headers;

/**
 * The signature of a Rotor record: Ed25519 over a canonical byte form of the CloudEvent's id, source, type, subject
 * and time and of the payload. It travels as two CloudEvents extension attributes, {@code rotorsig} (the signature,
 * base64url) and {@code rotorkid} (the signing key's {@link SigningKeys#keyId id}), i.e. the Kafka headers
 * {@value #SIGNATURE} and {@value #KEY_ID}.
 *
 * <p>The canonical form is a fixed label, then each attribute and the payload as a 4-byte big-endian length and its
 * bytes (length -1 for an absent one). Lengths make it unambiguous: no byte can move from one field into the next
 * and still give the same bytes to sign.
 *
 * <p>Keys are read and written in the JDK's forms; the signing itself is {@link Ed25519}'s, which gives the same
 * signatures at a tenth of the JDK's cost.
 */
public final class MessageSignatures {
    /** Kafka header of the {@code rotorsig} extension: the Ed25519 signature, base64url without padding. */
    public static final String SIGNATURE = "ce_rotorsig";
    /** Kafka header of the {@code rotorkid} extension: which key signed, see {@link SigningKeys#keyId}. */
    public static final String KEY_ID = "ce_rotorkid";
    static final String ALGORITHM = "Ed25519";

    private static final byte[] LABEL = "rotor-signed-record-v1".getBytes(StandardCharsets.UTF_8);
    private static final List<String> SIGNED_ATTRIBUTES = List.of(CloudEvents.ID, CloudEvents.SOURCE,
            CloudEvents.TYPE, CloudEvents.SUBJECT, CloudEvents.TIME);

    private MessageSignatures() {
    }

    /** The bytes that are signed for a record with these headers and this payload. */
    public static byte[] canonical(Headers headers, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + (payload == null ? 0 : payload.length));
        field(out, LABEL);
        for (String attribute : SIGNED_ATTRIBUTES) {
            String value = KafkaEnvelope.header(headers, attribute);
            field(out, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
        }
        field(out, payload);
        return out.toByteArray();
    }

    static byte[] sign(PrivateKey key, byte[] canonical) {
        return signingKey(key).sign(canonical);
    }

    static boolean verify(PublicKey key, byte[] canonical, byte[] signature) {
        return verifyingKey(key).verify(canonical, signature);
    }

    /** The key in the form that signs: done once per key, since it derives the public key. */
    static Ed25519.SigningKey signingKey(PrivateKey key) {
        return Ed25519.signingKey(SigningKeys.rawPrivate(key));
    }

    static Ed25519.VerifyingKey verifyingKey(PublicKey key) {
        return Ed25519.verifyingKey(SigningKeys.rawPublic(key));
    }

    private static void field(ByteArrayOutputStream out, byte[] value) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(value == null ? -1 : value.length).array());
        if (value != null) {
            out.writeBytes(value);
        }
    }
}

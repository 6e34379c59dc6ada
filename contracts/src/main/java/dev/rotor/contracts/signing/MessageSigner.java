package dev.rotor.contracts.signing;

import dev.rotor.contracts.cipher.Ed25519;
import dev.rotor.contracts.messages.KafkaEnvelope;
import dev.rotor.contracts.messages.MessageCodec;
import dev.rotor.contracts.messages.RotorMessage;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;

/**
 * Signs records with one Ed25519 private key: the orchestrator its commands, a bridge its rotation requests. Sign
 * last, once every signed header is set, right before the send: the signed {@code ce_time} is what the consumer's
 * replay window measures. Thread-safe.
 */
public final class MessageSigner {
    private final Ed25519.SigningKey key;
    private final String keyId;

    private MessageSigner(Ed25519.SigningKey key, PublicKey publicKey) {
        this.key = key;
        this.keyId = SigningKeys.keyId(publicKey);
    }

    /** A signer for this key; fails when its public key cannot be derived and proven to match. */
    public static MessageSigner of(PrivateKey key) {
        PublicKey publicKey = SigningKeys.publicOf(key);
        byte[] probe = "rotor-signing-self-test".getBytes(StandardCharsets.US_ASCII);
        if (!MessageSignatures.verify(publicKey, probe, MessageSignatures.sign(key, probe))) {
            throw new SigningKeyException("the public key derived from the signing key does not match it");
        }
        return new MessageSigner(MessageSignatures.signingKey(key), publicKey);
    }

    /** The id consumers look the public key up by. */
    public String keyId() {
        return keyId;
    }

    /** Adds {@code ce_rotorsig} and {@code ce_rotorkid} over the headers already set and the payload. */
    public void sign(Headers headers, byte[] payload) {
        headers.remove(MessageSignatures.SIGNATURE);
        headers.remove(MessageSignatures.KEY_ID);
        byte[] signature = key.sign(MessageSignatures.canonical(headers, payload));
        headers.add(MessageSignatures.KEY_ID, keyId.getBytes(StandardCharsets.US_ASCII));
        headers.add(MessageSignatures.SIGNATURE, Base64.getUrlEncoder().withoutPadding().encodeToString(signature)
                .getBytes(StandardCharsets.US_ASCII));
    }

    /** Names the key by its id only. */
    @Override
    public String toString() {
        return "MessageSigner[" + keyId + "]";
    }

    /** A signed record, timed now, for a plain producer (bridges, tests). */
    public ProducerRecord<String, byte[]> record(String topic, RotorMessage message, String source) {
        byte[] payload = MessageCodec.encode(message);
        Headers headers = KafkaEnvelope.headers(message, UUID.randomUUID(), source, Instant.now());
        sign(headers, payload);
        return new ProducerRecord<>(topic, null, message.subject(), payload, headers);
    }
}

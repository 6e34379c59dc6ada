package dev.rotor.contracts.signing;

import static dev.rotor.contracts.signing.UntrustedMessageException.Reason.BAD_SIGNATURE;
import static dev.rotor.contracts.signing.UntrustedMessageException.Reason.FROM_THE_FUTURE;
import static dev.rotor.contracts.signing.UntrustedMessageException.Reason.NO_TIME;
import static dev.rotor.contracts.signing.UntrustedMessageException.Reason.TOO_OLD;
import static dev.rotor.contracts.signing.UntrustedMessageException.Reason.UNKNOWN_KEY;
import static dev.rotor.contracts.signing.UntrustedMessageException.Reason.UNSIGNED;

import dev.rotor.contracts.cipher.Ed25519;
import dev.rotor.contracts.messages.CloudEvents;
import dev.rotor.contracts.messages.KafkaEnvelope;
import dev.rotor.contracts.messages.MalformedMessageException;
import dev.rotor.contracts.messages.MessageTypes;
import dev.rotor.contracts.messages.RotorMessage;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.kafka.common.header.Headers;

/**
 * Checks a consumed record before anything acts on it: signed by a trusted key, unchanged since, and signed inside
 * the replay window {@code [now - maxAge, now + maxSkew]}. The window is measured on the signed {@code ce_time}, so
 * it cannot be moved without breaking the signature. Inside the window a record seen again is an ordinary
 * at-least-once duplicate, which the handlers de-duplicate; outside it, a captured record is refused. Thread-safe.
 */
public final class MessageVerifier {
    private final Map<String, Ed25519.VerifyingKey> keys;
    private final Duration maxAge;
    private final Duration maxSkew;
    private final Clock clock;

    public MessageVerifier(Collection<PublicKey> trusted, Duration maxAge, Duration maxSkew, Clock clock) {
        this.keys = trusted.stream().collect(Collectors.toUnmodifiableMap(SigningKeys::keyId,
                MessageSignatures::verifyingKey, (a, b) -> a));
        this.maxAge = maxAge;
        this.maxSkew = maxSkew;
        this.clock = clock;
    }

    /**
     * A verifier trusting the public keys in these files, with the system clock. {@code setting} names them in
     * errors; none at all is an error too, since a consumer with no trusted key could only refuse everything.
     */
    public static MessageVerifier ofKeyFiles(String setting, List<String> files, Duration maxAge, Duration maxSkew) {
        List<PublicKey> trusted = files.stream().map(String::strip).filter(f -> !f.isEmpty())
                .map(f -> SigningKeys.requirePublic(setting, Optional.of(f))).toList();
        if (trusted.isEmpty()) {
            throw new SigningKeyException(setting + " is not set: it names the file of an Ed25519 public key, X.509 "
                    + "PEM");
        }
        return new MessageVerifier(trusted, maxAge, maxSkew, Clock.systemUTC());
    }

    /**
     * The message of a trusted record, which must be of the expected class.
     *
     * @throws UntrustedMessageException when the record is unsigned, badly signed or outside the window
     * @throws MalformedMessageException when it is trusted but not a Rotor message of that class
     */
    public <T extends RotorMessage> T read(Headers headers, byte[] payload, Class<T> expected) {
        RotorMessage message = read(headers, payload);
        if (!expected.isInstance(message)) {
            throw new MalformedMessageException("expected " + MessageTypes.typeOf(expected) + " but got "
                    + message.type());
        }
        return expected.cast(message);
    }

    /**
     * The message of a trusted record.
     *
     * @throws UntrustedMessageException when the record is unsigned, badly signed or outside the window
     * @throws MalformedMessageException when it is trusted but not a Rotor message
     */
    public RotorMessage read(Headers headers, byte[] payload) {
        verify(headers, payload);
        return KafkaEnvelope.read(headers, payload);
    }

    /** Checks the signature, then the signed time; never looks into the payload. */
    public void verify(Headers headers, byte[] payload) {
        String keyId = KafkaEnvelope.header(headers, MessageSignatures.KEY_ID);
        String signature = KafkaEnvelope.header(headers, MessageSignatures.SIGNATURE);
        if (keyId == null || signature == null) {
            throw new UntrustedMessageException(UNSIGNED, "no " + MessageSignatures.SIGNATURE + " and "
                    + MessageSignatures.KEY_ID + " headers");
        }
        Ed25519.VerifyingKey key = keys.get(keyId);
        if (key == null) {
            throw new UntrustedMessageException(UNKNOWN_KEY, "key id '" + printable(keyId) + "' is not trusted here");
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            throw new UntrustedMessageException(BAD_SIGNATURE, "the signature is not base64url");
        }
        if (!key.verify(MessageSignatures.canonical(headers, payload), raw)) {
            throw new UntrustedMessageException(BAD_SIGNATURE, "the signature of key " + keyId
                    + " does not match this record");
        }
        checkTime(KafkaEnvelope.header(headers, CloudEvents.TIME));
    }

    private void checkTime(String time) {
        Instant signedAt;
        try {
            signedAt = Instant.parse(time == null ? "" : time);
        } catch (DateTimeParseException e) {
            throw new UntrustedMessageException(NO_TIME, "no readable " + CloudEvents.TIME);
        }
        Instant now = clock.instant();
        if (signedAt.isBefore(now.minus(maxAge))) {
            throw new UntrustedMessageException(TOO_OLD, "signed at " + signedAt + ", more than " + maxAge
                    + " before " + now + " (replay window)");
        }
        if (signedAt.isAfter(now.plus(maxSkew))) {
            throw new UntrustedMessageException(FROM_THE_FUTURE, "signed at " + signedAt + ", more than " + maxSkew
                    + " after " + now);
        }
    }

    // The key id is unauthenticated input here: show a bounded, printable form of it only.
    private static String printable(String s) {
        String cut = s.length() > 32 ? s.substring(0, 32) + "…" : s;
        return cut.replaceAll("[^A-Za-z0-9._-]", "?");
    }
}

package dev.rotor.contracts.messages;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The Kafka shape of a message, the same for every service: key = subject (the rotation id), value = JSON payload,
 * CloudEvents attributes in {@code ce_*} headers.
 */
public final class KafkaEnvelope {
    private KafkaEnvelope() {
    }

    /** Binary-mode CloudEvents headers for a message. {@code source} is e.g. {@code /rotor/secret-sync}. */
    public static Headers headers(RotorMessage message, UUID eventId, String source, Instant time) {
        RecordHeaders headers = new RecordHeaders();
        CloudEvents.headers(message, eventId, source, time)
                .forEach((k, v) -> headers.add(k, v.getBytes(StandardCharsets.UTF_8)));
        return headers;
    }

    /** A ready record for a plain producer. */
    public static ProducerRecord<String, byte[]> record(String topic, RotorMessage message, String source) {
        return new ProducerRecord<>(topic, null, message.subject(), MessageCodec.encode(message),
                headers(message, UUID.randomUUID(), source, Instant.now()));
    }

    /**
     * Reads a consumed record.
     *
     * @throws MalformedMessageException when the type header is missing or unknown, or the payload does not match it
     */
    public static RotorMessage read(Headers headers, byte[] payload) {
        return MessageCodec.decode(header(headers, CloudEvents.TYPE), payload);
    }

    /**
     * Whether a consumer that owns only {@code owned} may pass over this step command unread: true only when the
     * record carries the {@link CloudEvents#STEP} hint and it names a step outside {@code owned}. A missing or
     * unknown hint gives false, and the record is then verified and read in full (which refuses what is malformed).
     */
    public static boolean addressedElsewhere(Headers headers, Set<Step> owned) {
        String hint = header(headers, CloudEvents.STEP);
        if (hint == null) {
            return false;
        }
        for (Step step : Step.values()) {
            if (step.name().equals(hint)) {
                return !owned.contains(step);
            }
        }
        return false;
    }

    /** The last value of a header as UTF-8, or null. */
    public static String header(Headers headers, String name) {
        if (headers == null) {
            return null;
        }
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}

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
     * Whether this step command's {@link CloudEvents#STEP} hint names one of {@code steps}: the steps of another
     * service that a consumer passes over unread. A missing or unknown hint, or one naming any other step, gives
     * false, and the record is then verified and read in full (which refuses what is forged or malformed). So a
     * consumer names the steps it knows another consumer checks, never "everything but mine": a forged command
     * whose hint names a step no consumer owns is still read, and dead-lettered, by both.
     */
    public static boolean hintedStepIn(Headers headers, Set<Step> steps) {
        String hint = header(headers, CloudEvents.STEP);
        if (hint == null) {
            return false;
        }
        for (Step step : steps) {
            if (step.name().equals(hint)) {
                return true;
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

package dev.rotor.notifier.channel;

import dev.rotor.contracts.messages.MessageTypes;
import dev.rotor.contracts.messages.RotationEvent;

/**
 * One milestone to tell the channels about, with the CloudEvent attributes of the Kafka record it came in, so a
 * redelivered record keeps its id end to end.
 *
 * @param id the record's {@code ce_id}
 * @param source the record's {@code ce_source}
 * @param time the record's {@code ce_time} (ISO-8601)
 */
public record Notification(RotationEvent event, String id, String source, String time) {

    /** The milestone's short name, e.g. {@code secret-updated} for {@code dev.rotor.secret-updated.v1}. */
    public String milestone() {
        return MessageTypes.nameOf(event.type());
    }
}

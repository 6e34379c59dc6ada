package dev.rotor.notifier.channel;

import dev.rotor.contracts.messages.AuditCheckpoint;
import dev.rotor.contracts.messages.MessageTypes;
import dev.rotor.contracts.messages.RotationEvent;
import dev.rotor.contracts.messages.RotorMessage;

/**
 * One record to tell channels about, with the CloudEvent attributes of the Kafka record it came in, so a redelivered
 * record keeps its id end to end. It is a rotation's milestone ({@link #event()}) for every channel of a secret, or an
 * {@code audit-checkpoint} for the webhook channels that archive them.
 *
 * @param message the record: a {@link RotationEvent}, or an audit checkpoint
 * @param id the record's {@code ce_id}
 * @param source the record's {@code ce_source}
 * @param time the record's {@code ce_time} (ISO-8601)
 */
public record Notification(RotorMessage message, String id, String source, String time) {

    /** The rotation's milestone; only checkpoint channels are ever handed anything else. */
    public RotationEvent event() {
        if (message instanceof RotationEvent event) {
            return event;
        }
        throw new IllegalStateException("'" + message.type() + "' is not a rotation's milestone");
    }

    /** For log lines: {@code secret-updated of rotation <id>}, or {@code audit-checkpoint at entry <seq>}. */
    public String describe() {
        if (message instanceof RotationEvent event) {
            return milestone() + " of rotation " + event.rotationId();
        }
        if (message instanceof AuditCheckpoint checkpoint) {
            return milestone() + " at entry " + checkpoint.seq();
        }
        return milestone() + " " + message.subject();
    }

    /** The record's short name, e.g. {@code secret-updated} for {@code dev.rotor.secret-updated.v1}. */
    public String milestone() {
        return MessageTypes.nameOf(message.type());
    }
}

package dev.rotor.notifier.webhook;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotor.contracts.json.RotorJson;
import dev.rotor.contracts.messages.RotationEvent;
import dev.rotor.contracts.messages.RotorMessage;
import dev.rotor.notifier.channel.Notification;
import java.io.UncheckedIOException;

/**
 * A CloudEvent 1.0 in HTTP structured mode ({@code application/cloudevents+json}). The id, source and time are the
 * Kafka record's own, so a receiver sees the same identity as every other subscriber and can de-duplicate on it.
 *
 * @param data the milestone (or audit checkpoint), in exactly its Kafka JSON form
 * @param rotorurgent extension attribute, present (true) only on urgent milestones
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CloudEventBody(String specversion, String id, String source, String type, String subject, String time,
        String datacontenttype, RotorMessage data, Boolean rotorurgent) {
    private static final ObjectMapper JSON = RotorJson.mapper();
    public static final String CONTENT_TYPE = "application/cloudevents+json; charset=UTF-8";

    public static CloudEventBody of(Notification n) {
        RotorMessage m = n.message();
        boolean urgent = m instanceof RotationEvent e && e.urgent();
        return new CloudEventBody("1.0", n.id(), n.source(), m.type(), m.subject(), n.time(), "application/json", m,
                urgent ? Boolean.TRUE : null);
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (JsonProcessingException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}

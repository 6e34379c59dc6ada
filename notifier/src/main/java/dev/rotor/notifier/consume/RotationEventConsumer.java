package dev.rotor.notifier.consume;

import dev.rotor.contracts.messages.CloudEvents;
import dev.rotor.contracts.messages.KafkaEnvelope;
import dev.rotor.contracts.messages.MalformedMessageException;
import dev.rotor.contracts.messages.RotationEvent;
import dev.rotor.contracts.messages.RotorMessage;
import dev.rotor.contracts.messages.Topics;
import dev.rotor.notifier.catalog.ChannelRegistry;
import dev.rotor.notifier.channel.Notification;
import dev.rotor.notifier.channel.NotificationChannel;
import dev.rotor.notifier.delivery.DeliveredEvents;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Reads the milestones on {@code rotor.rotations} and hands each to its secret's channels.
 *
 * <p>De-duplication: on (CloudEvent id, channel), see {@link DeliveredEvents}. The record is acknowledged as soon as
 * the deliveries are handed over, never after them, so a slow or dead receiver cannot stall the topic; the price is
 * that deliveries still queued when the process dies are lost (notifications are best effort, the audit lives in the
 * orchestrator). Unreadable records go to {@code rotor.dlq.notifier} with the reason in {@code dead-letter-reason}.
 */
@ApplicationScoped
public class RotationEventConsumer {
    private static final Logger LOG = Logger.getLogger(RotationEventConsumer.class);

    private final ChannelRegistry registry;
    private final DeliveredEvents delivered;

    public RotationEventConsumer(ChannelRegistry registry, DeliveredEvents delivered) {
        this.registry = registry;
        this.delivered = delivered;
    }

    @Incoming("rotations")
    public CompletionStage<Void> consume(Message<byte[]> record) {
        Optional<IncomingKafkaRecordMetadata> meta = record.getMetadata(IncomingKafkaRecordMetadata.class);
        Headers headers = meta.map(IncomingKafkaRecordMetadata::getHeaders).orElse(null);
        RotationEvent event;
        try {
            event = read(headers, record.getPayload());
        } catch (MalformedMessageException e) {
            // Once, and never the payload.
            LOG.warnf("refused a record on %s (sent to %s): %s", Topics.ROTATIONS, Topics.dlq("notifier"),
                    e.getMessage());
            return record.nack(e);
        }
        Optional<List<NotificationChannel>> channels = registry.channelsFor(event.secretId());
        if (channels.isEmpty()) {
            LOG.debugf("skipped %s of rotation %s: secret '%s' is not in the catalog", event.type(),
                    event.rotationId(), event.secretId());
            return record.ack();
        }
        Notification notification = notification(event, headers, meta);
        for (NotificationChannel channel : channels.get()) {
            if (delivered.firstTime(notification.id(), channel.name())) {
                channel.submit(notification, () -> delivered.forget(notification.id(), channel.name()));
            } else {
                LOG.debugf("channel '%s': %s already handled; redelivery skipped", channel.name(), notification.id());
            }
        }
        return record.ack();
    }

    private static RotationEvent read(Headers headers, byte[] payload) {
        RotorMessage message = KafkaEnvelope.read(headers, payload);
        if (message instanceof RotationEvent event) {
            return event;
        }
        throw new MalformedMessageException("'" + message.type() + "' is not a milestone event");
    }

    @SuppressWarnings("rawtypes")
    private static Notification notification(RotationEvent event, Headers headers,
            Optional<IncomingKafkaRecordMetadata> meta) {
        String id = KafkaEnvelope.header(headers, CloudEvents.ID);
        if (id == null || id.isBlank()) {
            // Still stable across redeliveries of this record.
            id = meta.map(m -> m.getTopic() + "-" + m.getPartition() + "@" + m.getOffset()).orElse(
                    event.type() + "/" + event.rotationId() + "/" + event.occurredAt());
        }
        String source = Optional.ofNullable(KafkaEnvelope.header(headers, CloudEvents.SOURCE)).orElse("/rotor");
        String time = Optional.ofNullable(KafkaEnvelope.header(headers, CloudEvents.TIME))
                .orElse(DateTimeFormatter.ISO_INSTANT.format(event.occurredAt()));
        return new Notification(event, id, source, time);
    }
}

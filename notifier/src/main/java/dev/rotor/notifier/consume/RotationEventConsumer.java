package dev.rotor.notifier.consume;

import dev.rotor.contracts.messages.AuditCheckpoint;
import dev.rotor.contracts.messages.CloudEvents;
import dev.rotor.contracts.messages.KafkaEnvelope;
import dev.rotor.contracts.messages.MalformedMessageException;
import dev.rotor.contracts.messages.RotationEvent;
import dev.rotor.contracts.messages.RotorMessage;
import dev.rotor.contracts.messages.SecretUpdated;
import dev.rotor.contracts.messages.Topics;
import dev.rotor.notifier.catalog.ChannelRegistry;
import dev.rotor.notifier.channel.Notification;
import dev.rotor.notifier.channel.NotificationChannel;
import dev.rotor.notifier.delivery.DeliveredEvents;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Reads the milestones on {@code rotor.rotations} and hands each to its secret's channels.
 *
 * <p>De-duplication: on (CloudEvent id, channel), in the database every replica shares, see {@link DeliveredEvents}:
 * the replica that claims a pair first sends it, and a record delivered again (to this replica or, after a rebalance,
 * to another) reaches no channel twice. A replica that stops with claims unfinished leaves them to another, which
 * sends them once their lease runs out ({@link ExpiredClaims}). Acknowledgement depends on urgency
 * ({@link RotationEvent#urgent()}: emergencies, failures, rollbacks, compensation-started):
 * <ul>
 * <li>urgent: acknowledged only once every channel this replica claimed has delivered it. Records are handled one at
 * a time, so its offset is not committed before that. A channel that gave up after its retries sends the record to
 * {@code rotor.dlq.notifier} ({@link UndeliveredMilestone}, naming the channels): never dropped silently;</li>
 * <li>otherwise: acknowledged as soon as the deliveries are claimed and handed over, so a slow or dead receiver cannot
 * stall the topic; the claims hold the milestones, so a replica that dies with deliveries queued loses none.</li>
 * </ul>
 * Unreadable records go to {@code rotor.dlq.notifier} with the reason in {@code dead-letter-reason}. An
 * {@code audit-checkpoint} (the orchestrator's audit chain head, on the same topic) is logged and sent to the webhook
 * channels the catalog names in {@code notify.audit-checkpoints}, de-duplicated on (CloudEvent id, channel) like a
 * milestone.
 *
 * <p>On {@code secret-updated}, the entry's {@code user-notice} (if any) also goes to the app's end users through its
 * channel, de-duplicated on (rotation id, {@code user-notice:<channel>}): once per rotation, however often the
 * milestone is delivered or re-sent.
 */
@ApplicationScoped
public class RotationEventConsumer {
    private static final Logger LOG = Logger.getLogger(RotationEventConsumer.class);

    private final ChannelRegistry registry;
    private final Dispatcher dispatcher;

    /** Counts each milestone's final outcome per channel ({@link Dispatcher.Outcomes#countedIn}). */
    public RotationEventConsumer(ChannelRegistry registry, DeliveredEvents delivered, MeterRegistry meters) {
        this.registry = registry;
        this.dispatcher = new Dispatcher(delivered, Dispatcher.Outcomes.countedIn(meters));
    }

    @Incoming("rotations")
    public CompletionStage<Void> consume(Message<byte[]> record) {
        Optional<IncomingKafkaRecordMetadata> meta = record.getMetadata(IncomingKafkaRecordMetadata.class);
        Headers headers = meta.map(IncomingKafkaRecordMetadata::getHeaders).orElse(null);
        RotationEvent event;
        try {
            RotorMessage message = KafkaEnvelope.read(headers, record.getPayload());
            if (message instanceof AuditCheckpoint checkpoint) {
                return archive(record, checkpoint, headers, meta);
            }
            event = milestone(message);
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
        Notification notification = notification(event, event.occurredAt(), headers, meta);
        Map<String, CompletableFuture<Boolean>> outcomes = new LinkedHashMap<>(
                dispatcher.dispatch(notification, channels.get()));
        if (event instanceof SecretUpdated) {
            registry.userNoticeFor(event.secretId()).ifPresent(channel -> outcomes.putAll(dispatcher.dispatch(
                    userNotice(notification), List.of(channel))));
        }
        if (!event.urgent()) {
            return record.ack();
        }
        return CompletableFuture.allOf(outcomes.values().toArray(CompletableFuture[]::new)).thenCompose(all -> {
            List<String> failed = outcomes.entrySet().stream().filter(e -> !e.getValue().join())
                    .map(Map.Entry::getKey).toList();
            if (failed.isEmpty()) {
                return record.ack();
            }
            UndeliveredMilestone reason = new UndeliveredMilestone(notification, failed);
            LOG.errorf("%s; sent to %s", reason.getMessage(), Topics.dlq("notifier"));
            return record.nack(reason);
        });
    }

    /**
     * The audit chain's anchor, not a rotation's milestone: logged, and sent as a CloudEvent to the catalog's
     * {@code audit-checkpoints} webhooks, with the same claims and retries as a milestone. Acknowledged once claimed:
     * the claim holds it, so a stop loses none.
     */
    private CompletionStage<Void> archive(Message<byte[]> record, AuditCheckpoint checkpoint, Headers headers,
            Optional<IncomingKafkaRecordMetadata> meta) {
        List<NotificationChannel> archives = registry.checkpointChannels();
        LOG.infof("audit checkpoint: entry %d, head %s; to %s", checkpoint.seq(), checkpoint.headHash(),
                archives.isEmpty() ? "no channel (catalog notify.audit-checkpoints)"
                        : archives.stream().map(NotificationChannel::name).toList());
        if (!archives.isEmpty()) {
            dispatcher.dispatch(notification(checkpoint, checkpoint.occurredAt(), headers, meta), archives);
        }
        return record.ack();
    }

    /** The end-user notice of a rotation: keyed on the rotation, so a repeated secret-updated sends no second one. */
    private static Notification userNotice(Notification n) {
        return new Notification(n.event(), "user-notice/" + n.event().rotationId(), n.source(), n.time());
    }

    private static RotationEvent milestone(RotorMessage message) {
        if (message instanceof RotationEvent event) {
            return event;
        }
        throw new MalformedMessageException("'" + message.type() + "' is not a milestone event");
    }

    @SuppressWarnings("rawtypes")
    private static Notification notification(RotorMessage event, java.time.Instant occurredAt, Headers headers,
            Optional<IncomingKafkaRecordMetadata> meta) {
        String id = KafkaEnvelope.header(headers, CloudEvents.ID);
        if (id == null || id.isBlank()) {
            // Still stable across redeliveries of this record.
            id = meta.map(m -> m.getTopic() + "-" + m.getPartition() + "@" + m.getOffset()).orElse(
                    event.type() + "/" + event.subject() + "/" + occurredAt);
        }
        String source = Optional.ofNullable(KafkaEnvelope.header(headers, CloudEvents.SOURCE)).orElse("/rotor");
        String time = Optional.ofNullable(KafkaEnvelope.header(headers, CloudEvents.TIME))
                .orElse(DateTimeFormatter.ISO_INSTANT.format(occurredAt));
        return new Notification(event, id, source, time);
    }
}

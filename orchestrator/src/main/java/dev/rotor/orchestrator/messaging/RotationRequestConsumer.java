package dev.rotor.orchestrator.messaging;

import dev.rotor.contracts.messages.KafkaEnvelope;
import dev.rotor.contracts.messages.MalformedMessageException;
import dev.rotor.contracts.messages.RotationRequestSubmitted;
import dev.rotor.contracts.messages.RotorMessage;
import dev.rotor.contracts.messages.Topics;
import dev.rotor.orchestrator.persistence.DatabaseFailure;
import dev.rotor.orchestrator.rotation.RotationRefused;
import dev.rotor.orchestrator.rotation.RotationRequests;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes {@code rotor.rotation-requests} (chat-ops, incident bridges) and starts rotations. De-duplicates on the
 * request id ({@code processed_request}). A refused request (unknown secret, rotation already active, strategy not
 * implemented) is logged and acknowledged: redelivering it would be refused again. Malformed records go to the DLQ.
 * Transient database trouble ({@link DatabaseFailure}) is retried here with backoff, {@value #RETRIES} times; if it
 * lasts longer, the record fails without being dead-lettered ({@link RedeliverTransientFailures}) and is read again;
 * any other failure goes to the DLQ.
 */
@ApplicationScoped
public class RotationRequestConsumer {
    private static final Logger LOG = Logger.getLogger(RotationRequestConsumer.class);
    static final int RETRIES = 8;
    static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    @Inject
    RotationRequests requests;

    @Incoming("rotation-requests")
    public Uni<Void> consume(ConsumerRecord<String, byte[]> record) {
        RotorMessage message;
        try {
            message = KafkaEnvelope.read(record.headers(), record.value());
        } catch (MalformedMessageException e) {
            LOG.warnf("malformed record on %s offset %d sent to the DLQ: %s", record.topic(), record.offset(),
                    e.getMessage());
            return Uni.createFrom().failure(e);
        }
        if (!(message instanceof RotationRequestSubmitted request)) {
            LOG.warnf("%s on %s is not a rotation request; skipped", message.type(), record.topic());
            return Uni.createFrom().voidItem();
        }
        return requests.submit(request)
                .onFailure(DatabaseFailure::isTransient).invoke(f -> LOG.warnf(
                        "rotation request %s for %s met transient database trouble (%s); retrying",
                        request.requestId(), request.secretId(), f.getClass().getSimpleName()))
                .onFailure(DatabaseFailure::isTransient).retry().withBackOff(FIRST_BACKOFF, MAX_BACKOFF)
                .atMost(RETRIES)
                .onFailure(RotationRefused.class).recoverWithItem(f -> {
                    LOG.warnf("rotation request %s for %s refused: %s", request.requestId(), request.secretId(),
                            f.getMessage());
                    return null;
                })
                .onFailure().invoke(f -> LOG.errorf("rotation request %s for %s failed (%s, %s); %s",
                        request.requestId(), request.secretId(), DatabaseFailure.of(f), f.getClass().getSimpleName(),
                        DatabaseFailure.isTransient(f) ? "left unacknowledged, to be read again"
                                : "sent to " + Topics.dlq("orchestrator")));
    }
}

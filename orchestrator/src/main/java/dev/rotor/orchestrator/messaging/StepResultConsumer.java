package dev.rotor.orchestrator.messaging;

import dev.rotor.contracts.messages.KafkaEnvelope;
import dev.rotor.contracts.messages.MalformedMessageException;
import dev.rotor.contracts.messages.RotorMessage;
import dev.rotor.contracts.messages.StepResult;
import dev.rotor.orchestrator.rotation.SagaDriver;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes {@code rotor.step-results}. The record is acknowledged only after the transaction that applied it
 * committed. De-duplicates on (rotationId, step, attempt, direction) via {@link SagaDriver#onReply}. A malformed record
 * fails with its {@link MalformedMessageException}, which sends it to {@code rotor.dlq.orchestrator}.
 */
@ApplicationScoped
public class StepResultConsumer {
    private static final Logger LOG = Logger.getLogger(StepResultConsumer.class);

    @Inject
    SagaDriver driver;

    @Incoming("step-results")
    public Uni<Void> consume(ConsumerRecord<String, byte[]> record) {
        RotorMessage message;
        try {
            message = KafkaEnvelope.read(record.headers(), record.value());
        } catch (MalformedMessageException e) {
            LOG.warnf("malformed record on %s offset %d sent to the DLQ: %s", record.topic(), record.offset(),
                    e.getMessage());
            return Uni.createFrom().failure(e);
        }
        if (!(message instanceof StepResult reply)) {
            LOG.warnf("%s on %s is not a step result; skipped", message.type(), record.topic());
            return Uni.createFrom().voidItem();
        }
        // Transient database trouble is retried here; only what still fails ends in the DLQ.
        return driver.onReply(reply).onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5))
                .atMost(5);
    }
}

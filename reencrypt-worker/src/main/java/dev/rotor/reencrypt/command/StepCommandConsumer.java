package dev.rotor.reencrypt.command;

import dev.rotor.contracts.messages.KafkaEnvelope;
import dev.rotor.contracts.messages.MalformedMessageException;
import dev.rotor.contracts.messages.RotorMessage;
import dev.rotor.contracts.messages.StepRequested;
import dev.rotor.contracts.messages.Topics;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Reads {@code rotor.step-commands}. A record is acknowledged only once its reply is on {@code rotor.step-results}, so
 * a crash before that redelivers the command (the reply is idempotent, see {@link ReencryptCommandHandler}). A record
 * that is not a step command goes to {@code rotor.dlq.reencrypt-worker}, its reason in the dead-letter-reason header.
 */
@ApplicationScoped
public class StepCommandConsumer {
    private static final Logger LOG = Logger.getLogger(StepCommandConsumer.class);

    @Inject
    ReencryptCommandHandler handler;

    @Inject
    StepResultPublisher publisher;

    @Incoming("step-commands")
    public CompletionStage<Void> consume(Message<byte[]> record) {
        StepRequested command;
        try {
            command = read(record);
        } catch (MalformedMessageException e) {
            // Never the payload: it is unknown input and could hold anything.
            LOG.warnf("refused a record on %s (sent to %s): %s", Topics.STEP_COMMANDS,
                    Topics.dlq("reencrypt-worker"), e.getMessage());
            return record.nack(e);
        }
        return handler.handle(command)
                .map(reply -> publisher.publish(reply).thenCompose(sent -> record.ack()))
                .orElseGet(record::ack)
                .exceptionallyCompose(failure -> {
                    LOG.errorf("could not publish the reply to %s %s of rotation %s: %s", command.direction(),
                            command.step(), command.rotationId(), failure.getMessage());
                    return CompletableFuture.failedFuture(failure);
                });
    }

    private static StepRequested read(Message<byte[]> record) {
        Headers headers = record.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(IncomingKafkaRecordMetadata::getHeaders)
                .orElse(null);
        RotorMessage message = KafkaEnvelope.read(headers, record.getPayload());
        if (message instanceof StepRequested command) {
            return command;
        }
        throw new MalformedMessageException("unexpected message type '" + message.type() + "' on "
                + Topics.STEP_COMMANDS);
    }
}

package dev.rotor.sync.steps;

import dev.rotor.contracts.messages.KafkaEnvelope;
import dev.rotor.contracts.messages.MalformedMessageException;
import dev.rotor.contracts.messages.RotorMessage;
import dev.rotor.contracts.messages.StepRequested;
import dev.rotor.contracts.messages.Topics;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Consumes {@code rotor.step-commands}. The store and file work runs on a worker thread; the record is acknowledged
 * only after the reply is on {@code rotor.step-results}, so a crash in between redelivers the command, which the
 * idempotent handlers answer again. Malformed records are nacked into {@code rotor.dlq.secret-sync} with the reason.
 */
@ApplicationScoped
public class StepCommandConsumer {
    private static final Logger LOG = Logger.getLogger(StepCommandConsumer.class);

    private final StepDispatcher dispatcher;
    private final StepResultPublisher publisher;

    public StepCommandConsumer(StepDispatcher dispatcher, StepResultPublisher publisher) {
        this.dispatcher = dispatcher;
        this.publisher = publisher;
    }

    @Incoming("step-commands")
    public Uni<Void> onCommand(Message<byte[]> record) {
        StepRequested command;
        try {
            command = decode(record);
        } catch (MalformedMessageException e) {
            // Once, without the payload: it could be anything, including material pasted by mistake.
            LOG.warnf("refused a record from %s (%s); sent to %s: %s", Topics.STEP_COMMANDS, position(record),
                    Topics.dlq("secret-sync"), e.getMessage());
            return Uni.createFrom().completionStage(record.nack(e));
        }
        return Uni.createFrom().item(() -> dispatcher.handle(command))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(reply -> reply.map(publisher::publish).orElseGet(() -> Uni.createFrom().voidItem()))
                .chain(() -> Uni.createFrom().completionStage(record.ack()));
    }

    private static StepRequested decode(Message<byte[]> record) {
        Headers headers = record.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(m -> m.getHeaders()).orElse(null);
        RotorMessage message = KafkaEnvelope.read(headers, record.getPayload());
        if (message instanceof StepRequested command) {
            return command;
        }
        throw new MalformedMessageException("expected a step-requested command but got " + message.type());
    }

    private static String position(Message<byte[]> record) {
        return record.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(m -> "partition " + m.getPartition() + ", offset " + m.getOffset()).orElse("unknown offset");
    }
}

package dev.rotor.reencrypt.command;

import dev.rotor.contracts.messages.KafkaEnvelope;
import dev.rotor.contracts.messages.MessageCodec;
import dev.rotor.contracts.messages.StepResult;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Puts replies on {@code rotor.step-results} in Rotor's wire format (key = rotation id, CloudEvents headers). */
@ApplicationScoped
public class StepResultPublisher {
    static final String SOURCE = "/rotor/reencrypt-worker";

    @Inject
    @Channel("step-results")
    MutinyEmitter<byte[]> results;

    /** Completes when the broker has the record. */
    public CompletionStage<Void> publish(StepResult result) {
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(result.subject())
                .withHeaders(KafkaEnvelope.headers(result, UUID.randomUUID(), SOURCE, Instant.now()))
                .build();
        return results.sendMessage(Message.of(MessageCodec.encode(result)).addMetadata(metadata))
                .subscribeAsCompletionStage();
    }
}

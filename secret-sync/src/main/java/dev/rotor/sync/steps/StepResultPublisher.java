package dev.rotor.sync.steps;

import dev.rotor.contracts.messages.KafkaEnvelope;
import dev.rotor.contracts.messages.MessageCodec;
import dev.rotor.contracts.messages.StepResult;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Publishes replies on {@code rotor.step-results}: key = rotation id, CloudEvents binary-mode headers. */
@ApplicationScoped
public class StepResultPublisher {
    public static final String SOURCE = "/rotor/secret-sync";

    private final MutinyEmitter<byte[]> emitter;

    public StepResultPublisher(@Channel("step-results") MutinyEmitter<byte[]> emitter) {
        this.emitter = emitter;
    }

    /** Completes once the broker has the reply; a transient send failure is retried a few times. */
    public Uni<Void> publish(StepResult result) {
        return Uni.createFrom().deferred(() -> emitter.sendMessage(Message.of(MessageCodec.encode(result))
                        .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                                .withKey(result.subject())
                                .withHeaders(KafkaEnvelope.headers(result, UUID.randomUUID(), SOURCE, Instant.now()))
                                .build())))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(2)).atMost(5);
    }
}

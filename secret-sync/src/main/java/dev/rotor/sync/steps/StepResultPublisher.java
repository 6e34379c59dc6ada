package dev.rotor.sync.steps;

import dev.rotor.contracts.messages.CloudEvents;
import dev.rotor.contracts.messages.KafkaEnvelope;
import dev.rotor.contracts.messages.MessageCodec;
import dev.rotor.contracts.messages.StepResult;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Publishes replies on {@code rotor.step-results}: key = rotation id, CloudEvents binary-mode headers. A reply is
 * sent within the trace of its command: the span that handled it is the parent of the connector's send span (whose
 * context goes in the W3C {@code traceparent} header) and is the CloudEvents distributed-tracing extension
 * ({@code ce_traceparent}).
 */
@ApplicationScoped
public class StepResultPublisher {
    public static final String SOURCE = "/rotor/secret-sync";

    private final MutinyEmitter<byte[]> emitter;

    public StepResultPublisher(@Channel("step-results") MutinyEmitter<byte[]> emitter) {
        this.emitter = emitter;
    }

    /**
     * Completes once the broker has the reply; a transient send failure is retried a few times. {@code trace} is the
     * context of the span that handled the command ({@code Context.root()} when none).
     */
    public Uni<Void> publish(StepResult result, Context trace) {
        return Uni.createFrom().deferred(() -> emitter.sendMessage(Message.of(MessageCodec.encode(result))
                        .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                                .withKey(result.subject())
                                .withHeaders(traced(KafkaEnvelope.headers(result, UUID.randomUUID(), SOURCE,
                                        Instant.now()), trace))
                                .build())
                        .addMetadata(TracingMetadata.withCurrent(trace))))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(2)).atMost(5);
    }

    private static Headers traced(Headers headers, Context trace) {
        W3CTraceContextPropagator.getInstance().inject(trace, headers, (h, key, value) ->
                h.add(key.equals(CloudEvents.W3C_TRACE_PARENT) ? CloudEvents.TRACE_PARENT : CloudEvents.TRACE_STATE,
                        value.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return headers;
    }
}

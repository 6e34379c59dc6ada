package dev.rotor.reencrypt.command;

import dev.rotor.contracts.messages.CloudEvents;
import dev.rotor.contracts.messages.KafkaEnvelope;
import dev.rotor.contracts.messages.MessageCodec;
import dev.rotor.contracts.messages.StepResult;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Puts replies on {@code rotor.step-results} in Rotor's wire format (key = rotation id, CloudEvents headers), within
 * the trace of their command: {@code trace}, the span of the job, is the parent of the connector's send span (the
 * W3C {@code traceparent} header) and is the CloudEvents distributed-tracing extension ({@code ce_traceparent}).
 */
@ApplicationScoped
public class StepResultPublisher {
    static final String SOURCE = "/rotor/reencrypt-worker";

    @Inject
    @Channel("step-results")
    MutinyEmitter<byte[]> results;

    /** Completes when the broker has the record. */
    public CompletionStage<Void> publish(StepResult result, Context trace) {
        Headers headers = KafkaEnvelope.headers(result, UUID.randomUUID(), SOURCE, Instant.now());
        W3CTraceContextPropagator.getInstance().inject(trace, headers, (h, key, value) ->
                h.add(key.equals(CloudEvents.W3C_TRACE_PARENT) ? CloudEvents.TRACE_PARENT : CloudEvents.TRACE_STATE,
                        value.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(result.subject())
                .withHeaders(headers)
                .build();
        return results.sendMessage(Message.of(MessageCodec.encode(result)).addMetadata(metadata)
                        .addMetadata(TracingMetadata.withCurrent(trace)))
                .subscribeAsCompletionStage();
    }
}

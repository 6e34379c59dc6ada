package dev.rotor.orchestrator.messaging;

import dev.rotor.contracts.messages.MalformedMessageException;
import dev.rotor.contracts.messages.RotationRequestSubmitted;
import dev.rotor.contracts.messages.RotorMessage;
import dev.rotor.contracts.messages.Topics;
import dev.rotor.orchestrator.persistence.DatabaseFailure;
import dev.rotor.contracts.signing.UntrustedMessageException;
import dev.rotor.orchestrator.rotation.RotationRefused;
import dev.rotor.orchestrator.rotation.RotationRequests;
import dev.rotor.orchestrator.signing.Signing;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import dev.rotor.orchestrator.tracing.TraceContext;
import dev.rotor.orchestrator.tracing.Traces;
import jakarta.inject.Inject;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes {@code rotor.rotation-requests} (chat-ops, incident bridges) and starts rotations. De-duplicates on the
 * request id ({@code processed_request}). A refused request (unknown secret, rotation already active, strategy not
 * implemented) is logged and acknowledged: redelivering it would be refused again. A record not signed by a bridge
 * key ({@code rotor.signing.request-verify-keys}), signed badly or signed outside the replay window, and a malformed
 * one, go to the DLQ before anything reads them. A replay inside the window is de-duplicated on the request id.
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
    @Inject
    Signing signing;
    @Inject
    Traces traces;

    @Incoming("rotation-requests")
    public Uni<Void> consume(ConsumerRecord<String, byte[]> record) {
        RotorMessage message;
        try {
            message = signing.requests().read(record.headers(), record.value());
        } catch (MalformedMessageException | UntrustedMessageException e) {
            LOG.warnf("refused a record on %s offset %d, sent to the DLQ: %s", record.topic(), record.offset(),
                    e.getMessage());
            return Uni.createFrom().failure(e);
        }
        if (!(message instanceof RotationRequestSubmitted request)) {
            LOG.warnf("%s on %s is not a rotation request; skipped", message.type(), record.topic());
            return Uni.createFrom().voidItem();
        }
        // The request's own span: below the record's W3C trace context when the bridge sent one, else a new trace.
        TraceContext parent = new TraceContext(header(record, "traceparent"), header(record, "tracestate"));
        return traces.inSpan("request " + request.secretId(), parent, () -> requests.submit(request))
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

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        org.apache.kafka.common.header.Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), java.nio.charset.StandardCharsets.UTF_8);
    }
}

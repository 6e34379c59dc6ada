package dev.rotor.orchestrator.messaging;

import dev.rotor.contracts.messages.KafkaEnvelope;
import dev.rotor.contracts.messages.MalformedMessageException;
import dev.rotor.contracts.messages.RotorMessage;
import dev.rotor.contracts.messages.StepResult;
import dev.rotor.contracts.messages.Topics;
import dev.rotor.orchestrator.metrics.RotorMetrics;
import dev.rotor.orchestrator.rotation.SagaDriver;
import dev.rotor.orchestrator.tracing.TraceContext;
import dev.rotor.orchestrator.tracing.Traces;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Consumes {@code rotor.step-results}. Replies of different rotations are applied concurrently, on {@value #LANES}
 * lanes; the replies of one rotation always take the same lane, so they are applied one after the other in the order
 * they arrived (a progress report never races its step's final reply). Each reply is applied in its own transaction
 * ({@link SagaDriver#onReply}), which de-duplicates on (rotationId, step, attempt, direction); concurrent transactions
 * of one rotation (a timer, an abort) are resolved by the rotation row's version check and retried.
 *
 * <p>A record is acknowledged only after the transaction that applied it committed; acknowledgements may complete out
 * of offset order, and the connector's (default, throttled) commit strategy only commits an offset once every record
 * before it was acknowledged, so a crash redelivers, never skips. At most {@value #MAX_IN_FLIGHT} records are taken in
 * before the consumer waits. A malformed record is logged once, without its payload, and nacked into
 * {@code rotor.dlq.orchestrator} with the reason; so is a reply that still fails after the retries of transient
 * database trouble.
 */
@ApplicationScoped
public class StepResultConsumer {
    private static final Logger LOG = Logger.getLogger(StepResultConsumer.class);
    /**
     * A lane spends its time waiting for its transaction's round trips and commit, not computing: under
     * {@code bench sagas} 8 lanes were the orchestrator's limit while its CPU and the database were mostly idle.
     * 16 stay within the reactive pool (24 connections), with room for requests, timers and the relay.
     */
    static final int LANES = 16;
    static final int MAX_IN_FLIGHT = 512;

    @Inject
    SagaDriver driver;
    @Inject
    RotorMetrics metrics;
    @Inject
    Traces traces;

    private final ExecutorService[] lanes = new ExecutorService[LANES];
    private final Object admission = new Object();
    private int inFlight;
    private CompletableFuture<Void> gate;

    public StepResultConsumer() {
        for (int i = 0; i < LANES; i++) {
            String name = "rotor-step-results-" + i;
            lanes[i] = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                return t;
            });
        }
    }

    @Incoming("step-results")
    public Uni<Void> consume(Message<byte[]> record) {
        RotorMessage message;
        try {
            Headers headers = record.getMetadata(IncomingKafkaRecordMetadata.class).map(m -> m.getHeaders())
                    .orElse(null);
            message = KafkaEnvelope.read(headers, record.getPayload());
        } catch (MalformedMessageException e) {
            LOG.warnf("refused a record from %s (%s); sent to %s: %s", Topics.STEP_RESULTS, position(record),
                    Topics.dlq("orchestrator"), e.getMessage());
            return Uni.createFrom().completionStage(record.nack(e));
        }
        if (!(message instanceof StepResult reply)) {
            LOG.warnf("%s on %s is not a step result; skipped", message.type(), Topics.STEP_RESULTS);
            return Uni.createFrom().completionStage(record.ack());
        }
        metrics.replied(reply);
        return admit().invoke(() -> submit(reply, record));
    }

    private void submit(StepResult reply, Message<byte[]> record) {
        ExecutorService lane = lanes[Math.floorMod(reply.rotationId().hashCode(), LANES)];
        try {
            lane.execute(() -> {
                try {
                    apply(reply, record);
                } finally {
                    release();
                }
            });
        } catch (RejectedExecutionException e) {
            release(); // shutting down: the record stays unacknowledged and is redelivered
        }
    }

    private void apply(StepResult reply, Message<byte[]> record) {
        // A child of the connector's receive span (itself a child of the worker's send): the commands and events
        // this reply leads to are written, and later relayed, within it.
        Span span = traces.start("apply " + reply.type(), TraceContext.of(TracingMetadata.fromMessage(record)
                .map(TracingMetadata::getCurrentContext).orElse(Context.root())));
        try {
            // Transient database trouble is retried here; only what still fails ends in the DLQ.
            VertxContextSupport.subscribeAndAwait(() -> Traces.of(span).within(() -> driver.onReply(reply)
                    .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).atMost(5)));
        } catch (Throwable f) {
            Traces.failed(span, f);
            span.end();
            LOG.errorf("%s for %s %s of rotation %s could not be applied; sent to %s: %s", reply.type(),
                    reply.step(), reply.direction(), reply.rotationId(), Topics.dlq("orchestrator"),
                    f.getClass().getSimpleName());
            record.nack(f).toCompletableFuture().join();
            return;
        }
        span.end();
        record.ack().toCompletableFuture().join();
    }

    /** Completes once fewer than {@link #MAX_IN_FLIGHT} records are in flight, and counts this one. */
    private Uni<Void> admit() {
        synchronized (admission) {
            if (inFlight < MAX_IN_FLIGHT) {
                inFlight++;
                return Uni.createFrom().voidItem();
            }
            if (gate == null) {
                gate = new CompletableFuture<>();
            }
            return Uni.createFrom().completionStage(gate).chain(this::admit);
        }
    }

    private void release() {
        CompletableFuture<Void> open;
        synchronized (admission) {
            inFlight--;
            open = gate;
            gate = null;
        }
        if (open != null) {
            open.complete(null);
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        for (ExecutorService lane : lanes) {
            lane.shutdownNow(); // unacknowledged replies are redelivered and de-duplicated
        }
    }

    private static String position(Message<byte[]> record) {
        return record.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(m -> "partition " + m.getPartition() + ", offset " + m.getOffset()).orElse("unknown offset");
    }
}

package dev.rotor.sync.steps;

import dev.rotor.contracts.messages.KafkaEnvelope;
import dev.rotor.contracts.messages.MalformedMessageException;
import dev.rotor.contracts.messages.Step;
import dev.rotor.contracts.messages.StepRequested;
import dev.rotor.contracts.messages.Topics;
import dev.rotor.contracts.signing.UntrustedMessageException;
import dev.rotor.messaging.StepMetrics;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Consumes {@code rotor.step-commands}. The store and file work runs on a bounded pool of worker threads: commands of
 * different rotations run concurrently (their store changes are saved together, see
 * {@link dev.rotor.sync.store.LocalKeystoreStore}), while the commands of one rotation (the Kafka key) run one after
 * the other, in the order they arrived, each only after the previous one's reply was sent. A record is acknowledged
 * only after its reply is on {@code rotor.step-results}, so a crash in between redelivers the command, which the
 * idempotent handlers answer again; acknowledgements may complete out of offset order, and the connector's (default,
 * throttled) commit strategy only commits an offset once every record before it was acknowledged. At most
 * {@value #MAX_IN_FLIGHT} commands are taken in before the consumer waits. A command that is unsigned, not signed by
 * the orchestrator's key, changed since it was signed, or signed outside the replay window ({@link CommandTrust}) is
 * nacked into {@code rotor.dlq.secret-sync} with the reason before anything reads it, as are malformed records and a
 * command whose reply could not be sent. A command whose {@code ce_rotorstep} hint names one of the reencrypt-worker's
 * steps ({@link #PASSED_OVER}) is acknowledged unread, before its signature is checked: it asks nothing of
 * secret-sync, and the worker checks it.
 */
@ApplicationScoped
public class StepCommandConsumer {
    private static final Logger LOG = Logger.getLogger(StepCommandConsumer.class);

    /**
     * The reencrypt-worker's steps: a command whose step hint names one is passed over unread (the worker checks it).
     * Any other command is read in full.
     */
    static final java.util.Set<Step> PASSED_OVER = java.util.Arrays.stream(Step.values())
            .filter(s -> s.participant() == Step.Participant.REENCRYPT_WORKER)
            .collect(java.util.stream.Collectors.toUnmodifiableSet());
    static final int WORKERS = 512;
    static final int MAX_IN_FLIGHT = 1024;
    private static final java.util.concurrent.CompletableFuture<Void> DONE =
            java.util.concurrent.CompletableFuture.completedFuture(null);

    private final StepDispatcher dispatcher;
    private final StepResultPublisher publisher;
    private final CommandTrust trust;
    private final Tracer tracer;
    private final StepMetrics steps;
    private final java.util.concurrent.ExecutorService workers = java.util.concurrent.Executors.newFixedThreadPool(
            WORKERS, new java.util.concurrent.ThreadFactory() {
                private final java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();

                @Override
                public Thread newThread(Runnable r) {
                    Thread t = new Thread(r, "rotor-step-worker-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }
            });
    /** Per rotation: the end of its chain of commands. */
    private final java.util.Map<java.util.UUID, java.util.concurrent.CompletableFuture<Void>> tails = new java.util.HashMap<>();
    private final Object admission = new Object();
    private int inFlight;
    private java.util.concurrent.CompletableFuture<Void> gate;

    public StepCommandConsumer(StepDispatcher dispatcher, StepResultPublisher publisher, CommandTrust trust,
            Tracer tracer, StepMetrics steps) {
        this.dispatcher = dispatcher;
        this.publisher = publisher;
        this.trust = trust;
        this.tracer = tracer;
        this.steps = steps;
    }

    @Incoming("step-commands")
    public Uni<Void> onCommand(Message<byte[]> record) {
        StepRequested command;
        Headers headers = headers(record);
        if (KafkaEnvelope.hintedStepIn(headers, PASSED_OVER)) {
            return Uni.createFrom().completionStage(record.ack());
        }
        try {
            command = trust.read(headers, record.getPayload());
        } catch (MalformedMessageException | UntrustedMessageException e) {
            // Once, without the payload: it could be anything, including material pasted by mistake.
            LOG.warnf("refused a record from %s (%s); sent to %s: %s", Topics.STEP_COMMANDS, position(record),
                    Topics.dlq("secret-sync"), e.getMessage());
            return Uni.createFrom().completionStage(record.nack(e));
        }
        return admit().invoke(() -> submit(command, record));
    }

    @jakarta.annotation.PreDestroy
    void stop() {
        workers.shutdownNow(); // unacknowledged commands are redelivered and answered again
    }

    /** Completes once fewer than {@link #MAX_IN_FLIGHT} commands are in flight, and counts this one. */
    private Uni<Void> admit() {
        synchronized (admission) {
            if (inFlight < MAX_IN_FLIGHT) {
                inFlight++;
                return Uni.createFrom().voidItem();
            }
            if (gate == null) {
                gate = new java.util.concurrent.CompletableFuture<>();
            }
            return Uni.createFrom().completionStage(gate).chain(this::admit);
        }
    }

    private void release() {
        java.util.concurrent.CompletableFuture<Void> open;
        synchronized (admission) {
            inFlight--;
            open = gate;
            gate = null;
        }
        if (open != null) {
            open.complete(null);
        }
    }

    /** Queues the command behind the earlier ones of its rotation; it runs on a worker once they are done. */
    private void submit(StepRequested command, Message<byte[]> record) {
        java.util.UUID key = command.rotationId();
        synchronized (tails) {
            java.util.concurrent.CompletableFuture<Void> previous = tails.getOrDefault(key, DONE);
            java.util.concurrent.CompletableFuture<Void> mine = previous
                    .thenComposeAsync(ignored -> process(command, record), workers)
                    .exceptionally(f -> null) // a failure is already nacked; the rotation's next command still runs
                    .whenComplete((x, f) -> finished(key));
            tails.put(key, mine);
        }
    }

    private void finished(java.util.UUID key) {
        synchronized (tails) {
            java.util.concurrent.CompletableFuture<Void> tail = tails.get(key);
            if (tail != null && tail.isDone()) {
                tails.remove(key);
            }
        }
        release();
    }

    /**
     * Handles, replies, then acknowledges; a reply that cannot be sent nacks the record (dead-letter queue). The work
     * runs in a span below the connector's receive span, which continues the orchestrator's send span.
     */
    private java.util.concurrent.CompletableFuture<Void> process(StepRequested command, Message<byte[]> record) {
        Span span = tracer.spanBuilder("handle " + command.step() + " " + command.direction())
                .setParent(TracingMetadata.fromMessage(record).map(TracingMetadata::getCurrentContext)
                        .orElse(Context.root()))
                .setAttribute("rotor.rotation.id", command.rotationId().toString())
                .setAttribute("rotor.step.attempt", command.attempt())
                .startSpan();
        Context trace = Context.root().with(span);
        Uni<Void> work = Uni.createFrom().item(() -> dispatcher.handle(command))
                .chain(reply -> reply.map(r -> publisher.publish(r, trace).invoke(() -> steps.executed(command, r)))
                        .orElseGet(() -> Uni.createFrom().voidItem()))
                .onTermination().invoke((ok, failure, cancelled) -> {
                    if (failure != null) {
                        span.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
                    }
                    span.end();
                })
                .chain(() -> Uni.createFrom().completionStage(record.ack()))
                .onFailure().call(f -> {
                    LOG.errorf("%s %s of rotation %s: no reply could be sent (%s)", command.step(),
                            command.direction(), command.rotationId(), f.getClass().getSimpleName());
                    return Uni.createFrom().completionStage(record.nack(f));
                });
        return work.subscribeAsCompletionStage();
    }

    private static Headers headers(Message<byte[]> record) {
        return record.getMetadata(IncomingKafkaRecordMetadata.class).map(m -> m.getHeaders()).orElse(null);
    }

    private static String position(Message<byte[]> record) {
        return record.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(m -> "partition " + m.getPartition() + ", offset " + m.getOffset()).orElse("unknown offset");
    }
}

package dev.rotor.reencrypt.scale;

import dev.rotor.contracts.messages.KafkaEnvelope;
import dev.rotor.contracts.messages.MalformedMessageException;
import dev.rotor.contracts.messages.StepRequested;
import dev.rotor.contracts.messages.Topics;
import dev.rotor.contracts.signing.UntrustedMessageException;
import dev.rotor.reencrypt.command.CommandTrust;
import dev.rotor.reencrypt.config.ReencryptConfig;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Reads {@code rotor.reencrypt-chunks}, in one consumer group over every worker instance: each chunk record is run by
 * one worker, {@code ROTOR_REENCRYPT_SCALE_OUT_CONCURRENCY} (1) chunks at a time per worker, one per consumer of the
 * group in this process (each chunk is one database session writing, and the engine spreads its crypto over every
 * core). A record is acknowledged once its chunk's outcome is in the chunk table, so a worker killed in the middle of
 * a chunk leaves the record uncommitted, and the group's rebalance (a short session timeout) hands it to another
 * worker.
 *
 * <p>Trust: a chunk record is its step command as the orchestrator signed it, verified by {@link CommandTrust} exactly
 * like a command; the chunk pointer beside it only selects a chunk the coordinator recorded for that very command.
 * De-duplication: on the chunk's row in the target database ({@link ChunkRunner}): a chunk done or cancelled is
 * acknowledged without work. A record that is not a trusted online REENCRYPT command, or points at no recorded chunk,
 * goes to {@code rotor.dlq.reencrypt-worker} with the reason; so does one whose chunk table could not be reached, and
 * its coordinator publishes the chunk again once nothing has moved for the stall timeout.
 */
@ApplicationScoped
public class ChunkConsumer {
    private static final Logger LOG = Logger.getLogger(ChunkConsumer.class);

    @Inject
    CommandTrust trust;

    @Inject
    ChunkRunner runner;

    @Inject
    ReencryptConfig config;

    // Chunks run here, never on the Kafka thread: as many at once as the channel has consumers.
    private ExecutorService chunkThreads;

    @PostConstruct
    void start() {
        int n = config.scaleOut().concurrency();
        if (n < 1) {
            throw new IllegalArgumentException("rotor.reencrypt.scale-out.concurrency (ROTOR_REENCRYPT_SCALE_OUT_"
                    + "CONCURRENCY) must be at least 1, not " + n);
        }
        AtomicInteger count = new AtomicInteger();
        chunkThreads = Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, "rotor-reencrypt-chunk-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Incoming("reencrypt-chunks")
    public CompletionStage<Void> consume(Message<byte[]> record) {
        Headers headers = record.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(IncomingKafkaRecordMetadata::getHeaders).orElse(null);
        StepRequested command;
        ChunkKey key;
        try {
            command = trust.read(headers, record.getPayload());
            key = ChunkKey.parse(command, KafkaEnvelope.header(headers, ChunkKey.HEADER));
            if (key == null) {
                throw new MalformedMessageException("no " + ChunkKey.HEADER + " header of the form column/chunk");
            }
        } catch (MalformedMessageException | UntrustedMessageException e) {
            return refuse(record, e);
        }
        return CompletableFuture.runAsync(() -> runner.run(command, key), chunkThreads)
                .handle((ok, failure) -> failure == null ? record.ack() : refuse(record, unwrap(failure)))
                .thenCompose(stage -> stage);
    }

    private static CompletionStage<Void> refuse(Message<byte[]> record, Throwable reason) {
        // Never the payload: it is unknown input.
        LOG.warnf("refused a record on %s (sent to %s): %s", Topics.REENCRYPT_CHUNKS, Topics.dlq("reencrypt-worker"),
                reason.getMessage());
        return record.nack(reason);
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    @PreDestroy
    void stop() {
        chunkThreads.shutdownNow();
    }
}

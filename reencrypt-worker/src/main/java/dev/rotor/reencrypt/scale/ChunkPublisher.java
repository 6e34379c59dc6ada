package dev.rotor.reencrypt.scale;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import dev.rotor.reencrypt.engine.ReencryptException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Puts chunk records on {@code rotor.reencrypt-chunks}: the signed command, unchanged, with the chunk's pointer. The
 * record key names the chunk, so the chunks of one job spread over the topic's partitions, and so over the workers.
 * No range bounds and no material: the bounds are in the target database's chunk table.
 */
@ApplicationScoped
public class ChunkPublisher {
    @Inject
    @Channel("reencrypt-chunks-out")
    MutinyEmitter<byte[]> chunks;

    /** Completes when the broker has the record. */
    public CompletionStage<Void> publish(SignedCommand signed, ChunkKey key) {
        RecordHeaders headers = new RecordHeaders();
        for (Header h : signed.headers()) {
            if (!h.key().equals(ChunkKey.HEADER)) {
                headers.add(h.key(), h.value());
            }
        }
        headers.add(ChunkKey.HEADER, key.header().getBytes(StandardCharsets.US_ASCII));
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(key.recordKey())
                .withHeaders(headers)
                .build();
        return chunks.sendMessage(Message.of(signed.payload()).addMetadata(metadata)).subscribeAsCompletionStage();
    }

    /** Publishes these chunks and waits until the broker has them all. */
    public void publishAll(SignedCommand signed, List<ChunkTable.Row> chunks) {
        CompletableFuture<?>[] sent = chunks.stream()
                .map(c -> publish(signed, c.key()).toCompletableFuture()).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(sent).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReencryptException("interrupted while publishing chunks", true, e);
        } catch (Exception e) {
            throw new ReencryptException("could not publish the chunks of rotation " + signed.command().rotationId()
                    + " to rotor.reencrypt-chunks: " + e.getClass().getSimpleName(), true, e);
        }
    }
}

package dev.rotor.orchestrator.messaging;

import dev.rotor.messaging.CountingDeadLetterQueue;
import dev.rotor.orchestrator.persistence.DatabaseFailure;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaConnectorIncomingConfiguration;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.smallrye.reactive.messaging.kafka.fault.KafkaFailureHandler;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.function.BiConsumer;
import org.eclipse.microprofile.reactive.messaging.Metadata;

/**
 * The failure strategy {@value #NAME}: a record whose handling failed for good goes to the dead-letter topic, as with
 * {@code rotor-dead-letter-queue} (so it is counted); a record that failed on transient database trouble, after its
 * handler's own retries, is not dead-lettered but fails the channel, as with {@code fail}. Its offset is then never
 * committed, the channel's health turns DOWN, and the restarted service reads the record again. An emergency request
 * must not be parked in a DLQ because the database was away for a minute.
 */
@ApplicationScoped
@Identifier(RedeliverTransientFailures.NAME)
public class RedeliverTransientFailures implements KafkaFailureHandler.Factory {
    static final String NAME = "rotor-redeliver-transient";

    @Inject
    @Identifier(CountingDeadLetterQueue.NAME)
    KafkaFailureHandler.Factory deadLetter;
    @Inject
    @Identifier(KafkaFailureHandler.Strategy.FAIL)
    KafkaFailureHandler.Factory fail;

    @Override
    public KafkaFailureHandler create(KafkaConnectorIncomingConfiguration config, Vertx vertx,
            KafkaConsumer<?, ?> consumer, BiConsumer<Throwable, Boolean> reportFailure) {
        KafkaFailureHandler toDlq = deadLetter.create(config, vertx, consumer, reportFailure);
        KafkaFailureHandler stop = fail.create(config, vertx, consumer, reportFailure);
        return new KafkaFailureHandler() {
            @Override
            public <K, V> Uni<Void> handle(IncomingKafkaRecord<K, V> record, Throwable reason, Metadata metadata) {
                return (DatabaseFailure.isTransient(reason) ? stop : toDlq).handle(record, reason, metadata);
            }

            @Override
            public void terminate() {
                toDlq.terminate();
                stop.terminate();
            }
        };
    }
}

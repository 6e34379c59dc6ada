package dev.rotor.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
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
 * The failure strategy {@value #NAME}: the connector's {@code dead-letter-queue}, unchanged, plus the counter
 * {@code rotor_dead_lettered_records_total{topic}} (topic: the dead-letter topic). It counts a record once the
 * dead-letter handler completed, that is once the broker acknowledged the copy and the record itself was
 * acknowledged; a copy that could not be written counts nothing. A crash between the two makes the connector
 * redeliver the record, which is dead-lettered and counted again: the counter then counts the copies in the
 * dead-letter topic, not distinct source records, which is what an alert on a non-empty DLQ needs.
 */
@ApplicationScoped
@Identifier(CountingDeadLetterQueue.NAME)
public class CountingDeadLetterQueue implements KafkaFailureHandler.Factory {
    public static final String NAME = "rotor-dead-letter-queue";
    public static final String METRIC = "rotor_dead_lettered_records_total";

    @Inject
    @Identifier(KafkaFailureHandler.Strategy.DEAD_LETTER_QUEUE)
    KafkaFailureHandler.Factory deadLetter;
    @Inject
    MeterRegistry registry;

    @Override
    public KafkaFailureHandler create(KafkaConnectorIncomingConfiguration config, Vertx vertx,
            KafkaConsumer<?, ?> consumer, BiConsumer<Throwable, Boolean> reportFailure) {
        KafkaFailureHandler toDlq = deadLetter.create(config, vertx, consumer, reportFailure);
        // The connector's own default when no topic is configured.
        String topic = config.getDeadLetterQueueTopic()
                .orElse("dead-letter-topic-" + config.getTopic().orElse(config.getChannel()));
        Counter counter = Counter.builder(METRIC).description("Records written to a dead-letter topic")
                .tag("topic", topic).register(registry);
        return new KafkaFailureHandler() {
            @Override
            public <K, V> Uni<Void> handle(IncomingKafkaRecord<K, V> record, Throwable reason, Metadata metadata) {
                return toDlq.handle(record, reason, metadata).invoke(() -> counter.increment());
            }

            @Override
            public void terminate() {
                toDlq.terminate();
            }
        };
    }
}

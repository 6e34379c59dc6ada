package dev.rotor.orchestrator.outbox;

import dev.rotor.contracts.messages.CloudEvents;
import dev.rotor.contracts.messages.KafkaEnvelope;
import dev.rotor.contracts.messages.MessageCodec;
import dev.rotor.contracts.messages.RotorMessage;
import dev.rotor.contracts.messages.StepRequested;
import dev.rotor.contracts.signing.MessageSigner;
import dev.rotor.orchestrator.config.OrchestratorConfig;
import dev.rotor.orchestrator.metrics.RotorMetrics;
import dev.rotor.orchestrator.signing.Signing;
import dev.rotor.orchestrator.tracing.TraceContext;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import dev.rotor.orchestrator.persistence.ShuttingDown;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;
import org.jboss.logging.Logger;

/**
 * Publishes outbox rows in {@code seq} order and marks them published once the broker acknowledged them. At least
 * once: a crash between the ack and the mark sends a row again (same {@code ce_id}), which consumers tolerate. Runs on
 * one thread, woken after each commit and by a poll that picks up rows left by a crash. Plain JDBC, because the sends
 * block on broker acks anyway.
 *
 * <p>More than one instance: each batch runs in one transaction that first takes the transaction-scoped advisory lock
 * {@link #RELAY_LOCK} with {@code pg_try_advisory_xact_lock}; an instance that does not get it skips the batch (the
 * holder relays, and the next poll tries again). So one instance relays at a time, and a row is read, sent and marked
 * published before another instance can read it: no row is published twice in normal running, and the global
 * {@code seq} order (so each rotation's order) holds. Per-row {@code skip locked} claims were not chosen: they would
 * let a second instance publish a rotation's later row while an earlier one is still held by the first. The lock goes
 * with the transaction, so an instance that dies releases it at once.
 *
 * <p>Tracing: a row keeps the trace context of the transaction that wrote it (the request or the reply). The relay
 * sends it in a producer span that is a child of that context, with the span's context in the W3C headers that the
 * consumers' tracing reads, and the stored context itself as the CloudEvents distributed-tracing extension
 * ({@code ce_traceparent}, the same on a resend). A row written outside any trace (an audit checkpoint) is sent
 * without either.
 */
@ApplicationScoped
public class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    static final int BATCH = 200;
    /** The advisory lock key of the relay (any constant shared by all instances; the ASCII of "rotorrel"). */
    static final long RELAY_LOCK = 0x726f746f7272656cL;

    @Inject
    AgroalDataSource dataSource;
    @Inject
    RelayProducer producer;
    @Inject
    OrchestratorConfig config;
    @Inject
    Signing signing;
    @Inject
    RotorMetrics metrics;
    @Inject
    Tracer tracer;

    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "rotor-outbox-relay"));
    private final AtomicBoolean pending = new AtomicBoolean();

    /** Asks for a relay run soon; calls while one is queued collapse into it. */
    public void trigger() {
        if (pending.compareAndSet(false, true)) {
            try {
                worker.execute(this::runOnce);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                pending.set(false);
            }
        }
    }

    @Scheduled(every = "${rotor.orchestrator.relay-poll-interval}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = ShuttingDown.class)
    void poll() {
        trigger();
    }

    void onStop(@Observes ShutdownEvent event) {
        worker.shutdown();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void runOnce() {
        pending.set(false);
        try {
            while (relayBatch() == BATCH) {
                // a full batch: more may wait
            }
        } catch (Exception e) {
            LOG.warnf("outbox relay will retry: %s", e.getMessage());
        }
    }

    /** One batch; the number of rows read when all were published, else 0 (also when another instance relays). */
    int relayBatch() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                int relayed = relayBatch(c);
                c.commit();
                return relayed;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private int relayBatch(Connection c) throws SQLException {
        if (!relayLock(c)) {
            return 0; // another instance is relaying
        }
        List<Row> rows = unpublished(c);
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        List<RotorMessage> messages = new ArrayList<>(rows.size());
        List<Span> spans = new ArrayList<>(rows.size());
        for (Row row : rows) {
            RotorMessage message = row.message(); // decoded once: for its headers, then for the metrics
            messages.add(message);
            Span span = publishSpan(row);
            spans.add(span);
            ProducerRecord<String, byte[]> record = row.record(message, config.source(), signing.commands(),
                    Instant.now());
            row.trace(record.headers(), TraceContext.of(span.storeInContext(row.trace().context())));
            metrics.sending(message);
            sent.add(producer.send(record));
        }
        List<Long> acked = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            try {
                sent.get(i).get(30, TimeUnit.SECONDS);
                acked.add(rows.get(i).seq());
                spans.get(i).end();
            } catch (Exception e) {
                // Stop at the first failure so the rest is resent in order next time.
                LOG.warnf("outbox row %d not acknowledged yet: %s", rows.get(i).seq(), e.getMessage());
                spans.subList(i, spans.size()).forEach(s -> s.setStatus(StatusCode.ERROR, "not acknowledged").end());
                break;
            }
        }
        markPublished(c, acked);
        for (int i = 0; i < acked.size(); i++) {
            metrics.published(messages.get(i));
        }
        return acked.size() == rows.size() ? rows.size() : 0;
    }

    /** A producer span below the row's stored context; an invalid (no-op) span for a row written outside a trace. */
    private Span publishSpan(Row row) {
        TraceContext stored = row.trace();
        if (stored.isEmpty()) {
            return Span.getInvalid();
        }
        return tracer.spanBuilder("publish " + row.topic()).setParent(stored.context()).setSpanKind(SpanKind.PRODUCER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.operation.type", "send")
                .setAttribute("messaging.destination.name", row.topic())
                .setAttribute("messaging.message.id", row.id().toString())
                .setAttribute("messaging.kafka.message.key", row.key())
                .setAttribute("cloudevents.event_type", row.type())
                .startSpan();
    }

    private static boolean relayLock(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
            ps.setLong(1, RELAY_LOCK);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static List<Row> unpublished(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select seq, id, topic, msg_key, type, payload, created_at,"
                + " trace_parent, trace_state"
                + " from outbox where published_at is null order by seq limit " + BATCH);
                ResultSet rs = ps.executeQuery()) {
            List<Row> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(new Row(rs.getLong(1), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getTimestamp(7).toInstant(),
                        new TraceContext(rs.getString(8), rs.getString(9))));
            }
            return rows;
        }
    }

    private static void markPublished(Connection c, List<Long> seqs) throws SQLException {
        if (seqs.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "update outbox set published_at = now() where seq = any (?)")) {
            ps.setArray(1, c.createArrayOf("bigint", seqs.toArray()));
            ps.executeUpdate();
        }
    }

    /** One outbox row; its id is the CloudEvents id, so a resend is recognisably the same event. */
    record Row(long seq, UUID id, String topic, String key, String type, String payload, Instant createdAt,
            TraceContext trace) {
        Row(long seq, UUID id, String topic, String key, String type, String payload, Instant createdAt) {
            this(seq, id, topic, key, type, payload, createdAt, TraceContext.NONE);
        }

        /**
         * The record to send. An event keeps the time of the commit that wrote it. A command is timed and signed
         * {@code now}, as it is sent: the workers' replay window then measures its time on the way, not how long
         * it waited in the outbox (a relay that was stopped for an hour still sends commands the workers accept).
         * A resend is signed again, with the same id, so a worker sees an ordinary duplicate.
         */
        RotorMessage message() {
            return MessageCodec.decode(type, payload.getBytes(StandardCharsets.UTF_8));
        }

        ProducerRecord<String, byte[]> record(String source, MessageSigner signer, Instant now) {
            return record(message(), source, signer, now);
        }

        /** The same, for the {@code message} this row holds, already decoded. */
        ProducerRecord<String, byte[]> record(RotorMessage message, String source, MessageSigner signer, Instant now) {
            byte[] value = payload.getBytes(StandardCharsets.UTF_8);
            if (!(message instanceof StepRequested)) {
                return new ProducerRecord<>(topic, null, key, value,
                        KafkaEnvelope.headers(message, id, source, createdAt));
            }
            Headers headers = KafkaEnvelope.headers(message, id, source, now);
            signer.sign(headers, value);
            return new ProducerRecord<>(topic, null, key, value, headers);
        }

        /**
         * Adds the trace headers (not signed: they are not authority, and a hop may rewrite the W3C pair): the
         * stored context as the CloudEvents extension, and {@code hop}, the relay's span, as the W3C headers.
         */
        void trace(Headers headers, TraceContext hop) {
            put(headers, CloudEvents.TRACE_PARENT, trace.parent());
            put(headers, CloudEvents.TRACE_STATE, trace.state());
            put(headers, CloudEvents.W3C_TRACE_PARENT, hop.parent());
            put(headers, CloudEvents.W3C_TRACE_STATE, hop.state());
        }

        private static void put(Headers headers, String name, String value) {
            if (value != null) {
                headers.remove(name);
                headers.add(name, value.getBytes(StandardCharsets.UTF_8));
            }
        }
    }
}

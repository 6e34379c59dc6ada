package dev.rotor.orchestrator.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code outbox}, written in the transaction of the state change. The relay reads it over JDBC in
 * {@code seq} order (a database default, so not mapped here); {@code id} becomes the CloudEvents id.
 */
@Entity
@Table(name = "outbox")
public class OutboxEntity extends PanacheEntityBase {
    @Id
    public UUID id;
    public String topic;
    @Column(name = "msg_key")
    public String msgKey;
    public String type;
    public String payload;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "published_at")
    public Instant publishedAt;
    /** W3C trace context of the writing transaction ({@link dev.rotor.orchestrator.tracing.TraceContext}). */
    @Column(name = "trace_parent")
    public String traceParent;
    @Column(name = "trace_state")
    public String traceState;
}

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
 * {@code seq} order (a database default: read here, never written); {@code id} becomes the CloudEvents id.
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
    /**
     * The order of writing, the database's: rows of one transaction share {@link #createdAt}, so readers that list a
     * rotation's milestones order by it. Null on a row not yet flushed.
     */
    @Column(name = "seq", insertable = false, updatable = false)
    public Long seq;
}

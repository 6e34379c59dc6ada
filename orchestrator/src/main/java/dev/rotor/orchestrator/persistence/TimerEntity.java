package dev.rotor.orchestrator.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A row of {@code timer}: a durable timer of a rotation; {@code firedAt} is set in the transaction that acts on it. */
@Entity
@Table(name = "timer")
public class TimerEntity extends PanacheEntityBase {
    @Id
    public UUID id;
    @Column(name = "rotation_id")
    public UUID rotationId;
    @Column(name = "secret_id")
    public String secretId;
    public String kind;
    @Column(name = "due_at")
    public Instant dueAt;
    @Column(name = "fired_at")
    public Instant firedAt;
    public String step;
    public String direction;
    public Integer attempt;
    public Integer version;
    @Column(name = "created_at")
    public Instant createdAt;
    /** W3C trace context of the writing transaction ({@link dev.rotor.orchestrator.tracing.TraceContext}). */
    @Column(name = "trace_parent")
    public String traceParent;
    @Column(name = "trace_state")
    public String traceState;
}

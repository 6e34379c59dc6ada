package dev.rotor.orchestrator.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A row of {@code rotation_step}: one step of a rotation in one direction. */
@Entity
@Table(name = "rotation_step")
public class RotationStepEntity extends PanacheEntityBase {
    @Id
    public UUID id;
    @Column(name = "rotation_id")
    public UUID rotationId;
    @Column(name = "idx")
    public int idx;
    public String step;
    public String direction;
    public String status;
    public int attempts;
    @Column(name = "started_at")
    public Instant startedAt;
    @Column(name = "finished_at")
    public Instant finishedAt;
    public String error;
    public String detail;
    @Column(name = "heartbeat_at")
    public Instant heartbeatAt;
}

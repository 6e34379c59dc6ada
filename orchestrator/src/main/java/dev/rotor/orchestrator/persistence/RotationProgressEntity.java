package dev.rotor.orchestrator.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A row of {@code rotation_progress}: the latest progress report of a rotation's current attempt. */
@Entity
@Table(name = "rotation_progress")
public class RotationProgressEntity extends PanacheEntityBase {
    @Id
    @Column(name = "rotation_id")
    public UUID rotationId;
    public String step;
    public String direction;
    public int attempt;
    public long done;
    public long total;
    @Column(name = "rows_per_second")
    public double rowsPerSecond;
    @Column(name = "eta_seconds")
    public Long etaSeconds;
    @Column(name = "updated_at")
    public Instant updatedAt;
}

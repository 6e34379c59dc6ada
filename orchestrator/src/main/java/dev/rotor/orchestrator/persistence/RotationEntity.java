package dev.rotor.orchestrator.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;

/** A row of {@code rotation}. The optimistic {@code version} serialises concurrent handlers of one rotation. */
@Entity
@Table(name = "rotation")
public class RotationEntity extends PanacheEntityBase {
    @Id
    public UUID id;
    @Column(name = "secret_id")
    public String secretId;
    public String strategy;
    public String trigger;
    public String reason;
    @Column(name = "requested_by")
    public String requestedBy;
    @Column(name = "dry_run")
    public boolean dryRun;
    public String state;
    @Column(name = "from_version")
    public Integer fromVersion;
    @Column(name = "to_version")
    public Integer toVersion;
    @Column(name = "step_index")
    public int stepIndex;
    @Column(name = "failed_step")
    public String failedStep;
    public String error;
    @Column(name = "manual_steps")
    public String manualSteps;
    @Column(name = "requested_at")
    public Instant requestedAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
    @Column(name = "completed_at")
    public Instant completedAt;
    public String result;
    @Column(name = "retirement_error")
    public String retirementError;
    /**
     * JSON of the {@code FrozenPlan} it was accepted with ({@link FrozenPlans}); null for older rotations. Written by
     * the insert only: no update ever carries it.
     */
    @Column(name = "frozen_plan", updatable = false)
    public String frozenPlan;
    /** A WAITING emergency: the rotation it supersedes. */
    @Column(name = "waits_for")
    public UUID waitsFor;
    /** A related entry's rotation: the rotation whose cascade started it (catalog {@code related}). */
    @Column(name = "parent_id")
    public UUID parentId;
    /** The incident it answers, as {@code <source>:<incident id>} ({@code pagerduty:Q1ABC}); null otherwise. */
    public String incident;
    /** When that incident began, by its source's clock; the report's exposure window starts there. */
    @Column(name = "incident_at")
    public Instant incidentAt;
    /** JSON of {@code Affected}, set when the rotation ended FAILED. */
    public String affected;
    /** JSON of {@code RetireGate}: the usage gate of the deferred retirement; null until its first probe. */
    @Column(name = "retire_gate")
    public String retireGate;
    /** JSON of {@code WaveProgress}: where a rolling cohort rollout stands; null before its second wave. */
    public String rollout;
    @Version
    public int version;
}

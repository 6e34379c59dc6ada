package dev.rotor.orchestrator.audit;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.Immutable;

/** A row of {@code audit_entry}, for reading only: {@link AuditLog} inserts them, and the table refuses changes. */
@Entity
@Immutable
@Table(name = "audit_entry")
public class AuditEntryEntity extends PanacheEntityBase {
    @Id
    public Long seq;
    /** The column {@code at} (a word HQL may read as a keyword). */
    @Column(name = "at")
    public Instant occurredAt;
    public String kind;
    public String subject;
    public String roles;
    public String source;
    public String reason;
    @Column(name = "client_address")
    public String clientAddress;
    @Column(name = "secret_id")
    public String secretId;
    @Column(name = "rotation_id")
    public UUID rotationId;
    public String detail;
    @Column(name = "prev_hash")
    public String prevHash;
    public String hash;
}

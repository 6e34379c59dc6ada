package dev.rotor.orchestrator.audit;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * An audit entry before it is chained: {@link AuditLog#append} gives it its {@code seq} and hashes. {@code detail}
 * holds references, version numbers, step names and errors; never secret material.
 */
public record AuditRecord(Instant at, String kind, Actor actor, String reason, String secretId, UUID rotationId,
        Map<String, ?> detail) {
    public AuditRecord {
        requireNonNull(at, "at");
        requireNonNull(kind, "kind");
        requireNonNull(actor, "actor");
    }
}

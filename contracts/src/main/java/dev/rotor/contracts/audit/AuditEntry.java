package dev.rotor.contracts.audit;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * One entry of the orchestrator's audit log, as it is hashed: every column of {@code audit_entry} except
 * {@code prev_hash} and {@code hash}. References and version numbers only, never secret material.
 *
 * @param seq           position in the chain, 1, 2, 3, ... with no gap
 * @param at            when the transition happened; PostgreSQL keeps microseconds, so it is truncated to them
 * @param kind          what happened, e.g. {@code rotation-requested}, {@code step-succeeded}, {@code request-refused}
 * @param subject       who: a token's subject ({@code alice}, {@code cli:bob}), a bridge's user, {@code schedule}, or
 *                      {@code orchestrator} for what the saga engine did on its own
 * @param roles         the caller's Rotor roles, sorted; empty when there is no token
 * @param source        REST, CLI, schedule, chat, incident, kafka or engine
 * @param reason        the caller's free-text reason, or null
 * @param clientAddress the HTTP peer's address, or null
 * @param secretId      the catalog entry concerned, or null
 * @param rotationId    the rotation concerned, or null
 * @param detail        a JSON object (text) with the facts of this kind of entry, or null; see {@link AuditChain}
 */
public record AuditEntry(long seq, Instant at, String kind, String subject, List<String> roles, String source,
        String reason, String clientAddress, String secretId, UUID rotationId, String detail) {

    public AuditEntry {
        if (seq < 1) {
            throw new IllegalArgumentException("seq must be 1 or more, not " + seq);
        }
        requireNonNull(at, "at");
        requireNonNull(kind, "kind");
        requireNonNull(subject, "subject");
        requireNonNull(source, "source");
        at = at.truncatedTo(ChronoUnit.MICROS);
        roles = roles == null ? List.of() : roles.stream().sorted().toList();
    }

    /** The same entry at another position: what the verifier tries when an entry looks moved. */
    public AuditEntry atSeq(long other) {
        return new AuditEntry(other, at, kind, subject, roles, source, reason, clientAddress, secretId, rotationId,
                detail);
    }
}

package dev.rotor.contracts.messages;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * The head of the orchestrator's audit chain, published on {@link Topics#ROTATIONS} now and then, so that an archive
 * outside Rotor (a webhook receiver, a topic mirror) holds an anchor: {@code rotor audit verify --checkpoint
 * SEQ:HASH} then proves that the chain up to there was not rewritten. Not a milestone of any rotation.
 *
 * @param seq      the last entry's position in the chain
 * @param headHash that entry's hash (64 lowercase hex characters)
 */
public record AuditCheckpoint(long seq, String headHash, Instant occurredAt) implements RotorMessage {
    /** Kafka key and CloudEvents subject of every checkpoint: one partition, so they stay in order. */
    public static final String SUBJECT = "audit-chain";

    public AuditCheckpoint {
        requireNonNull(headHash, "headHash");
        requireNonNull(occurredAt, "occurredAt");
        if (seq < 1) {
            throw new IllegalArgumentException("seq must be 1 or more");
        }
        if (!headHash.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("headHash must be 64 lowercase hex characters");
        }
    }

    @Override
    public String subject() {
        return SUBJECT;
    }
}

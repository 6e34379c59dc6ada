package dev.rotor.contracts.messages;

/** Why a rotation started. */
public enum Trigger {
    /** An operator asked for it (REST, CLI, chat-ops). */
    MANUAL,
    /** The secret's cron schedule fired. */
    SCHEDULED,
    /** An incident: the secret may have leaked. Uses the entry's emergency strategy and is marked urgent. */
    EMERGENCY,
    /**
     * A responder undoes a COMPLETED rotation (its {@code parentId}) while its previous version is kept: the rows back
     * from the shadow, the old version current again, the consumers reloaded. A saga of its own.
     */
    ROLLBACK
}

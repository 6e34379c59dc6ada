package dev.rotor.contracts.messages;

/** Why a rotation started. */
public enum Trigger {
    /** An operator asked for it (REST, CLI, chat-ops). */
    MANUAL,
    /** The secret's cron schedule fired. */
    SCHEDULED,
    /** An incident: the secret may have leaked. Uses the entry's emergency strategy and is marked urgent. */
    EMERGENCY
}

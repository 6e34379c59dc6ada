package dev.rotor.orchestrator.audit;

/** Where an audited action came from; {@link #wire()} is what the entry stores. */
public enum AuditSource {
    /** The REST API, with a token that is not the CLI's. */
    REST,
    /** {@code deploy/rotor}: the REST API with a token whose subject is {@code cli:<user>}. */
    CLI,
    /** A secret's cron schedule. */
    SCHEDULE,
    /** A chat-ops bridge (Slack, Teams) on {@code rotor.rotation-requests}. */
    CHAT,
    /** An incident bridge (PagerDuty, Opsgenie) on {@code rotor.rotation-requests}. */
    INCIDENT,
    /** Another producer on {@code rotor.rotation-requests}. */
    KAFKA,
    /** The saga engine itself: a worker's reply, a timer, a local step. */
    ENGINE;

    public String wire() {
        return name().toLowerCase();
    }
}

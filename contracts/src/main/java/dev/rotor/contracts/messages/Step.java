package dev.rotor.contracts.messages;

/** The saga steps of design §4. Which service acts on a step is fixed here, so workers never need a plan. */
public enum Step {
    /** First, when the entry's {@code reencrypt.backup-check} is set: the check must pass before anything changes. */
    CHECK_BACKUP(Participant.REENCRYPT_WORKER),
    STAGE_SECRET(Participant.SECRET_SYNC),
    DRAIN_TRAFFIC(Participant.ORCHESTRATOR),
    REENCRYPT(Participant.REENCRYPT_WORKER),
    UPDATE_SECRET(Participant.SECRET_SYNC),
    APPLY_CREDENTIAL(Participant.SECRET_SYNC),
    RESTORE_TRAFFIC(Participant.ORCHESTRATOR),
    RETIRE_PREVIOUS(Participant.SECRET_SYNC),
    /** After UPDATE_SECRET when the entry has {@code reload:}: the consumers pick up the value (and again on undo). */
    RELOAD_CONSUMERS(Participant.ORCHESTRATOR),
    /**
     * After each wave of a {@code rollout:} (UPDATE_SECRET of the wave's targets, then RELOAD_CONSUMERS): the gate must
     * hold before the next wave starts; nothing to undo.
     */
    WAVE_GATE(Participant.ORCHESTRATOR);

    private final Participant participant;

    Step(Participant participant) {
        this.participant = participant;
    }

    public Participant participant() {
        return participant;
    }

    /** The service that performs a step. */
    public enum Participant {
        ORCHESTRATOR, SECRET_SYNC, REENCRYPT_WORKER
    }
}

package dev.rotor.contracts.messages;

/** Kafka topic names (design §3). */
public final class Topics {
    /** Milestone events; the orchestrator publishes through its outbox. */
    public static final String ROTATIONS = "rotor.rotations";
    /** {@link StepRequested} commands; the orchestrator publishes through its outbox. */
    public static final String STEP_COMMANDS = "rotor.step-commands";
    /** {@link StepResult}s from the workers. */
    public static final String STEP_RESULTS = "rotor.step-results";
    /** {@link RotationRequestSubmitted} from chat-ops and incident bridges. */
    public static final String ROTATION_REQUESTS = "rotor.rotation-requests";
    /**
     * Chunks of online re-encryption jobs, from the coordinating reencrypt-worker to every reencrypt-worker instance
     * (one consumer group): each record is the orchestrator's signed REENCRYPT command with a chunk pointer. Many
     * partitions, so chunks spread over the workers.
     */
    public static final String REENCRYPT_CHUNKS = "rotor.reencrypt-chunks";

    private Topics() {
    }

    /** The dead-letter topic of one service, for example {@code rotor.dlq.secret-sync}. */
    public static String dlq(String service) {
        return "rotor.dlq." + service;
    }
}

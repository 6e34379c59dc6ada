package dev.rotor.contracts.messages;

/**
 * Every record Rotor puts on Kafka. The wire type ({@link #type()}) is a stable logical name, never a class name; it
 * travels in the {@code ce_type} header and {@link MessageTypes} maps it back to a record.
 */
public sealed interface RotorMessage permits RotationEvent, StepRequested, StepResult, RotationRequestSubmitted,
        AuditCheckpoint {

    /** The logical CloudEvents type, for example {@code dev.rotor.rotation-requested.v1}. */
    default String type() {
        return MessageTypes.typeOf(getClass());
    }

    /** The CloudEvents subject and the Kafka key: the rotation id, so a rotation's records stay ordered. */
    String subject();
}

package dev.rotor.contracts.messages;

/** Whether a step command asks for the action or for its compensation. */
public enum Direction {
    FORWARD, COMPENSATE
}

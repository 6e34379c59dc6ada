package dev.rotor.contracts.catalog;

/** The plan for trigger EMERGENCY. */
public record EmergencySpec(Strategy strategy) {
}

package dev.rotor.orchestrator.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.rotor.contracts.json.RotorJson;
import dev.rotor.orchestrator.saga.RetireGate;

/** The one serializer of {@link RetireGate}: JSON in {@code rotation.retire_gate}, null for none. */
public final class RetireGates {
    private RetireGates() {
    }

    public static String write(RetireGate gate) {
        if (gate == null) {
            return null;
        }
        try {
            return RotorJson.mapper().writeValueAsString(gate);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the retire gate: " + e.getOriginalMessage());
        }
    }

    public static RetireGate read(String json) {
        if (json == null) {
            return null;
        }
        try {
            return RotorJson.mapper().readValue(json, RetireGate.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable retire gate (" + e.getClass().getSimpleName() + ")");
        }
    }
}

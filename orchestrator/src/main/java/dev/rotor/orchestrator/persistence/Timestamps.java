package dev.rotor.orchestrator.persistence;

import java.time.Instant;
import java.time.OffsetDateTime;

/** Timestamps as native queries return them. */
public final class Timestamps {
    private Timestamps() {
    }

    public static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        return Instant.parse(value.toString());
    }
}

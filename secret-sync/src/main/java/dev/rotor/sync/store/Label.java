package dev.rotor.sync.store;

import com.fasterxml.jackson.annotation.JsonValue;

/** The life-cycle label of one version of a secret (design §5). */
public enum Label {
    PENDING, CURRENT, PREVIOUS, RETIRED;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

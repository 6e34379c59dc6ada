package dev.rotor.contracts.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;

/** The saga plans of design §4, by their catalog names. */
public enum Strategy {
    @JsonProperty("offline-reencrypt") OFFLINE_REENCRYPT("offline-reencrypt"),
    @JsonProperty("online-reencrypt") ONLINE_REENCRYPT("online-reencrypt"),
    @JsonProperty("dual-key") DUAL_KEY("dual-key"),
    @JsonProperty("immediate") IMMEDIATE("immediate"),
    @JsonProperty("credential") CREDENTIAL("credential"),
    @JsonProperty("alternating-users") ALTERNATING_USERS("alternating-users");

    private final String catalogName;

    Strategy(String catalogName) {
        this.catalogName = catalogName;
    }

    @JsonValue
    public String catalogName() {
        return catalogName;
    }

    public boolean reencrypts() {
        return this == OFFLINE_REENCRYPT || this == ONLINE_REENCRYPT;
    }

    public boolean appliesCredential() {
        return this == CREDENTIAL || this == ALTERNATING_USERS;
    }

    public static Strategy fromCatalogName(String name) {
        for (Strategy s : values()) {
            if (s.catalogName.equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown strategy '" + name + "'");
    }
}

package dev.rotor.contracts.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a secret is; it decides the default emergency strategy. */
public enum SecretKind {
    @JsonProperty("encryption-key") ENCRYPTION_KEY,
    @JsonProperty("signing-key") SIGNING_KEY,
    @JsonProperty("credential") CREDENTIAL,
    @JsonProperty("token") TOKEN,
    @JsonProperty("pepper") PEPPER;

    /** Signing keys, tokens and peppers are invalidated at once in an emergency; the others follow their own plan. */
    public boolean invalidatedAtOnceInEmergency() {
        return this == SIGNING_KEY || this == TOKEN || this == PEPPER;
    }
}

package dev.rotor.contracts.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.rotor.contracts.redact.SafeUrl;

/**
 * A health check after a reload: {@code url} must answer 2xx. With {@code version-field}, its JSON body must also hold
 * the key version the app now uses at that field (a name, or a JSON Pointer such as {@code /keys/jwt/version}), equal
 * to the version Rotor expects: the new one forward, the restored one when compensating.
 */
public record HealthSpec(String url, @JsonProperty("version-field") String versionField) {
    /** The url may carry credentials or a token: shown redacted. */
    @Override
    public String toString() {
        return "HealthSpec[url=" + SafeUrl.redact(url) + ", version-field=" + versionField + "]";
    }

    /** The JSON Pointer of {@link #versionField()}: a plain name is a top-level field. */
    public String versionPointer() {
        return versionField == null || versionField.startsWith("/") ? versionField : "/" + versionField;
    }
}

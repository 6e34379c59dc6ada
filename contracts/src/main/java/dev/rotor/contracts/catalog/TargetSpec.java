package dev.rotor.contracts.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A place the current value is pushed to.
 *
 * @param type {@code env-file} or {@code vault-kv}
 * @param path the file, or the KV path
 * @param variable for {@code env-file}: the variable that holds the current value
 * @param previousVariable for {@code env-file}: the variable that holds the previous value during the grace period
 * @param field for {@code vault-kv}: the field of the KV secret
 * @param userVariable for {@code env-file} with {@code alternating-users}: the variable that holds the role (user
 *     name) the current password belongs to, switched together with the password
 */
public record TargetSpec(String type, String path, String variable,
        @JsonProperty("previous-variable") String previousVariable, String field,
        @JsonProperty("user-variable") String userVariable) {

    public TargetSpec(String type, String path, String variable, String previousVariable, String field) {
        this(type, path, variable, previousVariable, field, null);
    }
}

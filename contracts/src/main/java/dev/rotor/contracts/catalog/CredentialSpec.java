package dev.rotor.contracts.catalog;

import java.util.List;

/**
 * A database role whose password is the secret. The admin connection is secret-sync's own configuration.
 *
 * @param datasource a datasource named in secret-sync's config
 * @param role the role for the {@code credential} strategy
 * @param roles the two roles for {@code alternating-users}
 */
public record CredentialSpec(String datasource, String role, List<String> roles) {
}

package dev.rotor.sync.credential;

import java.util.Map;
import java.util.Optional;

/** A resolved admin connection; {@link #toString()} leaves out the password, and redacts the URL. */
public record Datasource(String name, String url, String username, String password) {

    /**
     * The datasource {@code name}, or empty when it is not configured.
     *
     * @throws CredentialException (not retryable) when its URL names a user or password itself: the driver would let
     *     those override the rotated role's, so the login check after ALTER ROLE would prove nothing
     */
    public static Optional<Datasource> named(Map<String, DatasourceSettings> all, String name) {
        return Optional.ofNullable(name == null ? null : all.get(name)).map(s -> {
            if (JdbcUrls.carriesCredentials(s.url())) {
                throw new CredentialException("rotor.sync.datasources." + name + ".url must not carry a user or a"
                        + " password (" + JdbcUrls.redact(s.url()) + "): set rotor.sync.datasources." + name
                        + ".username and .password instead", false);
            }
            return new Datasource(name, s.url(), s.username(), s.password().orElse(""));
        });
    }

    @Override
    public String toString() {
        return "Datasource[" + name + ", " + JdbcUrls.redact(url) + ", user " + username + "]";
    }
}

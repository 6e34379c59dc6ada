package dev.rotor.sync.credential;

import dev.rotor.contracts.redact.SafeUrl;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** A resolved admin connection; {@link #toString()} leaves out the password, and redacts the URL. */
public record Datasource(String name, String url, String username, String password) {
    private static final Pattern CREDENTIALS = Pattern.compile("(?i)[?&;](?:user|password)=");

    /**
     * The datasource {@code name}, or empty when it is not configured.
     *
     * @throws CredentialException (not retryable) when its URL names a user or password itself: the driver would let
     *     those override the rotated role's, so the login check after ALTER ROLE would prove nothing
     */
    public static Optional<Datasource> named(Map<String, DatasourceSettings> all, String name) {
        return Optional.ofNullable(name == null ? null : all.get(name)).map(s -> {
            if (carriesCredentials(s.url())) {
                throw new CredentialException("rotor.sync.datasources." + name + ".url must not carry a user or a"
                        + " password (" + SafeUrl.redact(s.url()) + "): set rotor.sync.datasources." + name
                        + ".username and .password instead", false);
            }
            return new Datasource(name, s.url(), s.username(), s.password().orElse(""));
        });
    }

    // The driver lets user= and password= in the URL override the ones given apart.
    private static boolean carriesCredentials(String url) {
        return url != null && (CREDENTIALS.matcher(url).find() || url.matches("(?s)[^?]*//[^/?]*@.*"));
    }

    @Override
    public String toString() {
        return "Datasource[" + name + ", " + SafeUrl.redact(url) + ", user " + username + "]";
    }
}

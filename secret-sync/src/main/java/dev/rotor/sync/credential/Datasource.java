package dev.rotor.sync.credential;

import java.util.Map;
import java.util.Optional;

/** A resolved admin connection; {@link #toString()} leaves out the password. */
public record Datasource(String name, String url, String username, String password) {

    public static Optional<Datasource> named(Map<String, DatasourceSettings> all, String name) {
        return Optional.ofNullable(name == null ? null : all.get(name))
                .map(s -> new Datasource(name, s.url(), s.username(), s.password().orElse("")));
    }

    @Override
    public String toString() {
        return "Datasource[" + name + ", " + url + ", user " + username + "]";
    }
}

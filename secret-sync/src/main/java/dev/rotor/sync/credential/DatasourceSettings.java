package dev.rotor.sync.credential;

import java.util.Optional;

/** One admin connection ({@code rotor.sync.datasources.<name>.*}): a role allowed to ALTER the rotated roles. */
public interface DatasourceSettings {

    /** {@code jdbc:postgresql://host:port/db}; the rotated role logs in over the same URL for the verification. */
    String url();

    /** An admin role with CREATEROLE (or superuser). */
    String username();

    /** Never logged. */
    Optional<String> password();
}

package dev.rotor.auth;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses to start when the token verification keys are a local file that does not exist: every API call would
 * otherwise fail with 401 and nothing would say why. Keys at an {@code https:} URL (an issuer's JWKS) are fetched by
 * the verifier itself.
 */
@ApplicationScoped
public class KeyLocationCheck {
    @ConfigProperty(name = "mp.jwt.verify.publickey.location")
    String location;

    void onStart(@Observes StartupEvent event) {
        Path file = localFile(location);
        if (file != null && !Files.isReadable(file)) {
            throw new IllegalStateException("the token verification keys (ROTOR_AUTH_JWKS, mp.jwt.verify.publickey"
                    + ".location) name the file " + file + ", which does not exist or cannot be read; run "
                    + "'deploy/rotor up' to create local keys, or point ROTOR_AUTH_JWKS at your issuer's JWKS URL");
        }
    }

    static Path localFile(String location) {
        if (location.startsWith("file:")) {
            return Path.of(location.substring("file:".length()));
        }
        return location.contains(":") ? null : Path.of(location);
    }
}

package dev.rotor.local.auth;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Makes a {@code @QuarkusTest} trust the tests' issuer ({@link TestAuth}): its JWKS, issuer and audience. */
public class AuthResource implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
        return Map.of("mp.jwt.verify.publickey.location", "file:" + TestAuth.issuer().jwks(),
                "mp.jwt.verify.issuer", LocalAuth.ISSUER,
                "mp.jwt.verify.audiences", LocalAuth.AUDIENCE);
    }

    @Override
    public void stop() {
        // The keys live in a temporary folder for the JVM's lifetime.
    }
}

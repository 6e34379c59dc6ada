package dev.rotor.local.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The tests' token issuer: one {@link LocalAuth} per JVM, in a temporary folder. The folder is kept in a system
 * property, so a copy of this class loaded by another class loader (Quarkus loads test resources apart from the
 * tests) signs with the same key.
 */
public final class TestAuth {
    static final String DIR_PROPERTY = "rotor.test.auth.dir";

    private TestAuth() {
    }

    public static synchronized LocalAuth issuer() {
        String dir = System.getProperty(DIR_PROPERTY);
        if (dir == null) {
            try {
                dir = Files.createTempDirectory("rotor-test-auth").toString();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            System.setProperty(DIR_PROPERTY, dir);
        }
        return LocalAuth.open(Path.of(dir));
    }

    /** A 10-minute token for subject {@code test-<role>} holding {@code role}. */
    public static String token(String role) {
        return issuer().mint("test-" + role, List.of(role), Duration.ofMinutes(10));
    }

    /** The same, as an {@code Authorization} header value. */
    public static String bearer(String role) {
        return "Bearer " + token(role);
    }

    /** An {@code Authorization} header value for a 10-minute token of {@code subject} holding {@code roles}. */
    public static String bearerFor(String subject, String... roles) {
        return "Bearer " + issuer().mint(subject, List.of(roles), Duration.ofMinutes(10));
    }
}

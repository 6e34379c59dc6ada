package dev.rotor.local;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The {@code -Dcontainers} switch: use Testcontainers images instead of the embedded servers.
 *
 * <p>Why a guard: on a machine without Docker, Testcontainers would fail deep inside a Quarkus boot with a long,
 * confusing trace (or wait). Checking first turns that into one line that says what to do, within seconds.
 */
public final class Containers {

    /** The one line a test run shows when {@code -Dcontainers} meets a machine without Docker. */
    public static final String NO_DOCKER =
            "-Dcontainers was given but no Docker engine is reachable; drop -Dcontainers to use the embedded broker";

    private static final long CHECK_TIMEOUT_SECONDS = 20;

    private Containers() {
    }

    /** True when {@code -Dcontainers} (or {@code -Dcontainers=true}) was given. */
    public static boolean requested() {
        String value = System.getProperty("containers");
        return value != null && !"false".equalsIgnoreCase(value.trim());
    }

    /** Fails fast with {@link #NO_DOCKER} unless Testcontainers can reach a Docker engine. */
    public static void requireDocker() {
        requireDocker(Containers::dockerAvailable);
    }

    /** As {@link #requireDocker()}, with the probe injected so the failure path is testable anywhere. */
    static void requireDocker(BooleanSupplier available) {
        boolean ok;
        try {
            ok = CompletableFuture.supplyAsync(available::getAsBoolean)
                    .get(CHECK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            ok = false; // a probe that hangs or throws means no usable engine
        }
        if (!ok) {
            throw new IllegalStateException(NO_DOCKER);
        }
    }

    private static boolean dockerAvailable() {
        return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
    }
}

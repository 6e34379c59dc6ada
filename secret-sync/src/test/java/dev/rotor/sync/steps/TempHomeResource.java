package dev.rotor.sync.steps;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A fresh ROTOR_HOME per test JVM, so the keystore starts empty and its generated password is exercised. */
public class TempHomeResource implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
        try {
            Path home = Files.createTempDirectory("rotor-sync-home");
            return Map.of("rotor.sync.home", home.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        // Left for inspection after a failure; it lives under the temp dir.
    }
}

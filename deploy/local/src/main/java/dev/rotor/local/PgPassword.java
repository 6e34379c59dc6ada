package dev.rotor.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A database password for the launcher's JDBC commands: from an owner-only file, else from the environment, else
 * the local stack's default. Never from the command line, which every local user can read (ps, /proc).
 */
public final class PgPassword {
    private PgPassword() {
    }

    /** The file's content when given (refused unless mode 0600-like), else {@code fromEnvironment}, else postgres. */
    public static String read(Path file, String fromEnvironment) throws IOException {
        if (file != null) {
            var mode = Files.getPosixFilePermissions(file);
            if (mode.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
                throw new IllegalArgumentException("--password-file " + file + " is readable by others ("
                        + PosixFilePermissions.toString(mode) + "): make it 0600");
            }
            return Files.readString(file).strip();
        }
        return fromEnvironment == null || fromEnvironment.isEmpty() ? "postgres" : fromEnvironment;
    }
}

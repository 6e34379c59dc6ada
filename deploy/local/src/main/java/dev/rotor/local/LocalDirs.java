package dev.rotor.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Small file-system and port helpers shared by the embedded servers.
 *
 * <p>Why a build-local base dir: data dirs live under the caller's {@code target/} (system property
 * {@code rotor.local.dir}, default {@code target/rotor-local}) so {@code mvn clean} removes them and nothing
 * piles up in {@code /tmp}.
 */
public final class LocalDirs {

    /** Every embedded server binds here only; nothing is exposed beyond the machine. */
    public static final String HOST = "127.0.0.1";

    private LocalDirs() {
    }

    /** Creates a fresh, uniquely named directory under {@code rotor.local.dir}. */
    public static Path freshDir(String prefix) {
        try {
            Path base = Path.of(System.getProperty("rotor.local.dir", "target/rotor-local")).toAbsolutePath();
            Files.createDirectories(base);
            return Files.createTempDirectory(base, prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a data dir for " + prefix, e);
        }
    }

    /**
     * Creates {@code dir} with mode 0700 from the start (its parents as usual) unless it exists; safe when another
     * process makes it at the same time. For the folders that hold keys and passwords.
     */
    public static void ownerOnlyDir(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Files.createDirectories(dir.toAbsolutePath().getParent());
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                    "rwx------")));
        } catch (FileAlreadyExistsException raced) {
            // another process made it first
        }
    }

    /** A port that was free a moment ago on 127.0.0.1 (the usual small race is accepted for tests). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + HOST, e);
        }
    }

    /**
     * Returns {@code port}, or a free one when it is 0; fails with one clear line when the port is taken, so
     * the launcher never half-starts a server and the message says what to do.
     */
    public static int requireFreePort(int port) {
        if (port == 0) {
            return freePort();
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new java.net.InetSocketAddress(InetAddress.getByName(HOST), port));
            return port;
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " on " + HOST + " is already in use");
        }
    }
}

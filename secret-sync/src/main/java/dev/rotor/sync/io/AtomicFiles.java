package dev.rotor.sync.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Replaces a file so that a reader (or a crash) sees either the old or the new content, never a torn one: a temp
 * file in the same directory (same file system, so the rename is atomic), fsync, rename, then fsync of the directory.
 */
public final class AtomicFiles {
    public static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private AtomicFiles() {
    }

    /** Writes {@code content} to {@code target} with exactly the given permissions. */
    public static void write(Path target, byte[] content, Set<PosixFilePermission> mode) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        // Created with the final mode, so the content is never readable by others, not even for a moment.
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp",
                PosixFilePermissions.asFileAttribute(mode));
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            // createTempFile applies the umask; set the mode explicitly.
            Files.setPosixFilePermissions(tmp, mode);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("file system of " + dir + " does not support an atomic rename", e);
            }
            syncDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The file's current permissions, or {@code fallback} when it does not exist yet. */
    public static Set<PosixFilePermission> modeOf(Path file, Set<PosixFilePermission> fallback) throws IOException {
        return Files.exists(file) ? Files.getPosixFilePermissions(file) : fallback;
    }

    private static void syncDirectory(Path dir) {
        // Makes the rename itself durable; some file systems refuse to open a directory, which only costs durability.
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort
        }
    }
}

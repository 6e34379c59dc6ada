package dev.rotor.sync.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Replaces a file so that a reader (or a crash) sees either the old or the new content, never a torn one: a temp
 * file in the same directory (same file system, so the rename is atomic), fsync, rename, then fsync of the directory.
 * A symbolic link is written through: the file it leads to is replaced in its own directory and the link stays. The
 * new file keeps the owner and group of the one it replaces.
 */
public final class AtomicFiles {
    public static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final int MAX_LINKS = 40;

    private AtomicFiles() {
    }

    /** Writes {@code content} to {@code target} with exactly the given permissions. */
    public static void write(Path target, byte[] content, Set<PosixFilePermission> mode) throws IOException {
        Path file = resolved(target);
        replace(file, content, mode, attributes(file));
    }

    /** Writes {@code content} to {@code target}, keeping its mode; a file that does not exist yet is owner-only. */
    public static void rewrite(Path target, byte[] content) throws IOException {
        Path file = resolved(target);
        PosixFileAttributes old = attributes(file);
        replace(file, content, old == null ? OWNER_ONLY : old.permissions(), old);
    }

    /** Where the bytes of {@code target} live: the end of its chain of symbolic links, else the path itself. */
    public static Path resolved(Path target) throws IOException {
        Path file = target.toAbsolutePath();
        for (int hops = 0; Files.isSymbolicLink(file); hops++) {
            if (hops == MAX_LINKS) {
                throw new FileSystemLoopException(target.toString());
            }
            // A relative link is relative to the directory holding it; resolveSibling keeps an absolute one as is.
            file = file.resolveSibling(Files.readSymbolicLink(file));
        }
        return file;
    }

    private static void replace(Path file, byte[] content, Set<PosixFilePermission> mode, PosixFileAttributes old)
            throws IOException {
        Path dir = file.getParent();
        Files.createDirectories(dir);
        // Owner-only from its creation (the umask can only narrow it): nobody else can open it while it fills.
        Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp",
                PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        try {
            // Opened before the owner and mode change, so a narrower mode (0400) or a foreign owner cannot lock us out.
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                if (old != null) {
                    keepOwnership(file, tmp, old);
                }
                // Still empty: the mode is the final one before a byte of content is in the file.
                if (!Files.getPosixFilePermissions(tmp).equals(mode)) {
                    Files.setPosixFilePermissions(tmp, mode);
                }
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("file system of " + dir + " does not support an atomic rename", e);
            }
            syncDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static PosixFileAttributes attributes(Path file) throws IOException {
        try {
            return Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static void keepOwnership(Path file, Path tmp, PosixFileAttributes old) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(tmp, PosixFileAttributeView.class);
        PosixFileAttributes now = view.readAttributes();
        try {
            if (!now.owner().equals(old.owner())) {
                view.setOwner(old.owner());
            }
            if (!now.group().equals(old.group())) {
                view.setGroup(old.group());
            }
        } catch (FileSystemException e) {
            throw new AccessDeniedException(file.toString(), null, "cannot give the new file its owner "
                    + old.owner().getName() + " and group " + old.group().getName() + " (" + e.getReason() + ")");
        }
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

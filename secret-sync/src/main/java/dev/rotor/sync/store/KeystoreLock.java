package dev.rotor.sync.store;

import dev.rotor.sync.io.AtomicFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * One writer per keystore (design §10): an exclusive lock on {@code <home>/keystore/rotor.lock}, held as long as the
 * store is open, i.e. for the life of the process. Without it a second secret-sync on the same home would silently
 * overwrite the first one's saves, since each keeps the store in memory. The operating system releases the lock when
 * the process dies, so a crash never leaves a stale lock behind; the file itself stays (empty) and is reused.
 */
final class KeystoreLock implements AutoCloseable {
    static final String FILE = "rotor.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private KeystoreLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of the keystore directory {@code dir}, which must exist.
     *
     * @throws StoreException (not retryable) when another process, or another store in this one, holds it
     */
    static KeystoreLock acquire(Path dir) {
        Path file = dir.resolve(FILE);
        FileChannel channel;
        try {
            // Created owner-only (the mode is given at creation, not set afterwards), like everything in the directory.
            channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(AtomicFiles.OWNER_ONLY));
        } catch (IOException e) {
            throw new StoreException("cannot open the keystore lock file " + file + ": " + e.getClass().getSimpleName(),
                    false, e);
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by another store of this JVM
        } catch (IOException e) {
            closeQuietly(channel);
            throw new StoreException("cannot lock the keystore lock file " + file + ": " + e.getClass().getSimpleName(),
                    false, e);
        }
        if (lock == null) {
            closeQuietly(channel);
            throw new StoreException("another secret-sync is using the keystore in " + dir + ": it holds the lock file "
                    + file + ". One process only may write a keystore: stop the other one, or give this one its own"
                    + " ROTOR_HOME", false);
        }
        return new KeystoreLock(channel, lock);
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel below releases it too
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}

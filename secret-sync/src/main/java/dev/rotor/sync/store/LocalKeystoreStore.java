package dev.rotor.sync.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotor.contracts.json.RotorJson;
import dev.rotor.contracts.store.LocalStoreFormat;
import dev.rotor.sync.concurrent.KeyedLocks;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The {@code local} store ({@link LocalStoreFormat}): one sealed image holding every version's material (alias
 * {@code <path>#v<N>}) and the metadata (a JSON index), so material and labels always change together in one atomic
 * file replacement; the key that seals it is in a BCFKS keystore file under the store password.
 *
 * <p><b>In memory, group-committed.</b> The store is loaded once and kept in memory, decrypted; secret-sync is the only
 * writer of the files, which a file lock ({@link KeystoreLock}) enforces. The files' identity (inode, size, mtime) is
 * still checked before each use, and a store replaced underneath (an operator restoring a backup, a test) is reloaded
 * when no change of ours is in flight. Memory holds no more than the store, its key and its password, which this
 * process holds anyway. A save seals the image with the key read at load, so it derives nothing from the password
 * (BCFKS's three PBKDF2 derivations per save were most of this service's CPU under load); only a new or converted
 * store writes the keystore file, once.
 *
 * <p>Each {@link #update} runs under its secret's own lock, on a private copy of that secret's history and entries, so
 * a change that throws leaves nothing behind. A successful change is applied to the in-memory keystore, and the call
 * then waits until a save that contains it is durable: changes of different secrets made meanwhile are saved together
 * in one atomic write (temp file, fsync, rename; mode 0600), so N concurrent changes cost one save, not N; under load
 * a save starts no sooner than the commit delay after the previous one, so a steady stream of changes forms large
 * groups too, while a lone change is saved at once. A caller
 * therefore only sees its change as done (and only then replies) once it is on disk. When a save fails, every change
 * not yet on disk fails with it and the in-memory state is reloaded from the file. The secret's lock is held until the
 * change is durable or failed, so the next change of the same secret always builds on a durable state, and reads of a
 * secret never see a change that could still be lost.
 */
public class LocalKeystoreStore implements SecretStore, AutoCloseable {
    /** See {@link #LocalKeystoreStore(Path, Optional, Duration)}. */
    public static final Duration DEFAULT_COMMIT_DELAY = Duration.ofSeconds(1);
    private static final ObjectMapper JSON = RotorJson.mapper();
    private static final byte[] DELETED = new byte[0];
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(LocalKeystoreStore.class);

    private final KeystoreFile file;
    private final KeyedLocks<String> pathLocks = new KeyedLocks<>();
    /** Guards everything below; never held while waiting for the disk. */
    private final Object state = new Object();
    /** Every material by alias, decrypted; null until loaded (and after a failed save). */
    private Map<String, byte[]> materials;
    /** The single-writer lock ({@link KeystoreLock}), taken before the first load and held until {@link #close()}. */
    private KeystoreLock lock;
    private StoreIndex index;
    private Object stamp;
    /** Sequence of the last change applied in memory, of the last one on disk, and of the last one lost. */
    private long applied;
    private long durable;
    private long lost;
    private boolean saving;
    /** When the next save may start (see {@link #lingerBeforeSave()}). */
    private long nextSaveNanos = System.nanoTime();
    /** How many changes the last save carried. */
    private long lastGroup;
    private final Duration commitDelay;

    public LocalKeystoreStore(Path home, Optional<String> password) {
        this(home, password, DEFAULT_COMMIT_DELAY);
    }

    /**
     * @param commitDelay under load, the least time between the starts of two saves. Each save seals the whole
     *     image (the index serialised, one AES-GCM pass) and syncs its file whatever it carries, so under load fewer,
     *     larger groups leave the CPU to the rest: with 200 ms instead of 1 s the bench's secret-sync spent 4.4 and 5.7
     *     CPU-s instead of 2.8 and 2.6. It applies only after a save that carried more than one change, so changes
     *     that come one at a time are saved at once
     */
    public LocalKeystoreStore(Path home, Optional<String> password, Duration commitDelay) {
        this.file = new KeystoreFile(home, password);
        this.commitDelay = Objects.requireNonNull(commitDelay, "commitDelay");
        if (commitDelay.isNegative()) {
            throw new IllegalArgumentException("the keystore commit delay cannot be negative: " + commitDelay);
        }
    }

    @Override
    public String type() {
        return "local";
    }

    /** The keystore file, for operators and tests. */
    public Path keystorePath() {
        return file.path();
    }

    /**
     * Takes the keystore's single-writer lock now (start-up), rather than at the first use.
     *
     * @throws StoreException (not retryable) naming the lock file when another process holds it
     */
    public void lock() {
        synchronized (state) {
            if (lock == null) {
                lock = file.lock();
            }
        }
    }

    /** Releases the lock and forgets the in-memory store; call it once no change is in flight (shutdown). */
    @Override
    public void close() {
        synchronized (state) {
            if (lock != null) {
                lock.close();
                lock = null;
            }
            materials = null;
            index = null;
            file.forget();
        }
    }

    @Override
    public void check() {
        synchronized (state) {
            open();
        }
    }

    @Override
    public List<SecretVersion> versions(String path) {
        return underPathLock(path, () -> {
            synchronized (state) {
                open();
                StoreIndex.History h = index.secrets.get(path);
                return h == null ? List.<SecretVersion>of() : h.versions.stream().map(StoreIndex.Meta::view).toList();
            }
        });
    }

    @Override
    public String read(String path, int version) {
        return underPathLock(path, () -> {
            StoreIndex.History h;
            synchronized (state) {
                open();
                h = index.secrets.getOrDefault(path, new StoreIndex.History()).copy();
            }
            return new KeystoreEditor(new Overlay(), path, h).value(version);
        });
    }

    @Override
    public <R> R update(String path, Function<VersionEditor, R> change) {
        return underPathLock(path, () -> {
            StoreIndex.History copy;
            synchronized (state) {
                open();
                StoreIndex.History h = index.secrets.get(path);
                copy = h == null ? new StoreIndex.History() : h.copy();
            }
            Overlay overlay = new Overlay();
            KeystoreEditor editor = new KeystoreEditor(overlay, path, copy);
            R result = change.apply(editor); // throws: nothing of it was shared
            if (editor.dirty()) {
                awaitDurable(install(path, copy, overlay));
            }
            return result;
        });
    }

    private <R> R underPathLock(String path, Supplier<R> body) {
        return pathLocks.withLock(path, body);
    }

    /** How many secrets' locks exist now (held or awaited); zero when the store is idle. */
    int pathLocksInUse() {
        return pathLocks.size();
    }

    /** Applies a finished change to the in-memory keystore and index; returns its sequence number. */
    private long install(String path, StoreIndex.History history, Overlay overlay) {
        synchronized (state) {
            open();
            for (Map.Entry<String, byte[]> op : overlay.ops.entrySet()) {
                if (op.getValue() == DELETED) {
                    materials.remove(op.getKey());
                } else {
                    materials.put(op.getKey(), op.getValue()); // the overlay's own copy; it is dropped after this
                }
            }
            index.secrets.put(path, history);
            return ++applied;
        }
    }

    /**
     * Returns once a save containing change {@code seq} is on disk. The first waiter that finds no save running saves
     * everything applied so far (the group), outside the lock so that the next group can form meanwhile.
     */
    private void awaitDurable(long seq) {
        while (true) {
            long upTo;
            LocalStoreFormat.Contents contents;
            synchronized (state) {
                while (true) {
                    if (seq <= lost) {
                        throw new StoreException("the keystore " + file.path() + " could not be saved; the change"
                                + " was not kept", true);
                    }
                    if (durable >= seq) {
                        return;
                    }
                    if (!saving) {
                        break;
                    }
                    try {
                        state.wait();
                    } catch (InterruptedException e) {
                        throw interrupted(e);
                    }
                }
                saving = true; // this thread saves the group: every change applied until it starts
                try {
                    lingerBeforeSave();
                } catch (InterruptedException e) {
                    saving = false;
                    state.notifyAll();
                    throw interrupted(e);
                }
                upTo = applied;
                lastGroup = upTo - durable;
                nextSaveNanos = System.nanoTime() + commitDelay.toNanos();
                try {
                    // A snapshot: the arrays are never changed in place, only replaced or removed.
                    contents = new LocalStoreFormat.Contents(JSON.writeValueAsBytes(index), materials);
                } catch (IOException | RuntimeException e) {
                    saving = false;
                    discardUnsaved();
                    state.notifyAll();
                    throw new StoreException("cannot encode the store index", false, e);
                }
            }
            // Outside the lock: other secrets' changes keep being applied meanwhile and form the next group.
            RuntimeException failure = null;
            long started = System.nanoTime();
            long encoded = started;
            try {
                byte[] image = file.encode(contents);
                encoded = System.nanoTime();
                file.write(image);
            } catch (RuntimeException e) {
                failure = e;
            }
            Object written = failure == null ? file.stamp() : null;
            synchronized (state) {
                saving = false;
                if (failure == null) {
                    LOG.debugf("saved %d change(s) in one write (encode %d ms, write %d ms)", upTo - durable,
                            (encoded - started) / 1_000_000, (System.nanoTime() - encoded) / 1_000_000);
                    durable = Math.max(durable, upTo);
                    stamp = written;
                } else {
                    discardUnsaved();
                }
                state.notifyAll();
                if (failure != null) {
                    throw failure;
                }
            }
        }
    }

    /**
     * The commit delay: under load (the previous save carried more than one change) a save starts no sooner than
     * {@link #commitDelay} after the previous one started; when changes come one at a time it starts at once. Waiting
     * releases the lock, so changes of other secrets keep joining the group meanwhile. Holds {@link #state}.
     */
    private void lingerBeforeSave() throws InterruptedException {
        if (lastGroup <= 1) {
            return;
        }
        long remaining = nextSaveNanos - System.nanoTime();
        while (remaining > 0) {
            state.wait(remaining / 1_000_000, (int) (remaining % 1_000_000));
            remaining = nextSaveNanos - System.nanoTime();
        }
    }

    private StoreException interrupted(InterruptedException e) {
        Thread.currentThread().interrupt();
        return new StoreException("interrupted while the keystore " + file.path() + " was saved", true, e);
    }

    /** Forgets every change not on disk (they fail) and reloads from the file at the next use. */
    private void discardUnsaved() {
        lost = applied;
        materials = null;
        index = null;
    }

    /** Loads the store unless it is loaded and the file is still the one we loaded or wrote. Holds {@link #state}. */
    private void open() {
        lock();
        if (materials != null && (saving || applied > durable || Objects.equals(stamp, file.stamp()))) {
            return;
        }
        Object before = file.stamp();
        LocalStoreFormat.Contents loaded = file.load();
        try {
            index = loaded.index() == null ? new StoreIndex() : JSON.readValue(loaded.index(), StoreIndex.class);
        } catch (IOException e) {
            throw new StoreException("cannot read the index of keystore " + file.path(), false, e);
        }
        materials = new HashMap<>(loaded.materials());
        stamp = before;
    }

    /** A change's view of the entries: its own puts and deletes over the shared (cached) keystore. */
    private final class Overlay implements KeystoreEditor.Materials {
        final Map<String, byte[]> ops = new LinkedHashMap<>();

        @Override
        public byte[] get(String alias) {
            byte[] own = ops.get(alias);
            if (own != null) {
                return own == DELETED ? null : own.clone();
            }
            synchronized (state) {
                open();
                byte[] material = materials.get(alias);
                return material == null ? null : material.clone();
            }
        }

        @Override
        public void put(String alias, byte[] material) {
            ops.put(alias, material.clone());
        }

        @Override
        public void delete(String alias) {
            ops.put(alias, DELETED);
        }
    }
}

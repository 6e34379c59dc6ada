package dev.rotor.sync.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotor.contracts.json.RotorJson;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code local} store: one BCFKS keystore file holding every version's material as a secret key entry
 * ({@code <path>#v<N>}) and the metadata as a JSON entry, so material and labels always change together in one
 * atomic file replacement.
 *
 * <p><b>In memory, group-committed.</b> The keystore is loaded once and kept in memory; secret-sync is assumed to be
 * the only writer of the file. The file's identity (inode, size, mtime) is still checked before each use, and a file
 * replaced underneath (an operator restoring a backup, a test) is reloaded when no change of ours is in flight.
 * Decrypted entries are cached in memory (every entry read from BCFKS costs a PBKDF2 derivation); the cache holds no
 * more than the keystore and its password, which this process holds anyway.
 *
 * <p>Each {@link #update} runs under its secret's own lock, on a private copy of that secret's history and entries, so
 * a change that throws leaves nothing behind. A successful change is applied to the in-memory keystore, and the call
 * then waits until a save that contains it is durable: changes of different secrets made meanwhile are saved together
 * in one atomic write (temp file, fsync, rename; mode 0600), so N concurrent changes cost one save, not N. A caller
 * therefore only sees its change as done (and only then replies) once it is on disk. When a save fails, every change
 * not yet on disk fails with it and the in-memory state is reloaded from the file. The secret's lock is held until the
 * change is durable or failed, so the next change of the same secret always builds on a durable state, and reads of a
 * secret never see a change that could still be lost.
 */
public class LocalKeystoreStore implements SecretStore {
    // BCFKS stores secret keys only under algorithms it knows; HMAC keys accept material of any length.
    static final String ENTRY_ALGORITHM = "HmacSHA256";
    private static final ObjectMapper JSON = RotorJson.mapper();
    private static final byte[] DELETED = new byte[0];
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(LocalKeystoreStore.class);

    private final KeystoreFile file;
    private final Map<String, ReentrantLock> pathLocks = new ConcurrentHashMap<>();
    /** Guards everything below; never held while waiting for the disk. */
    private final Object state = new Object();
    private KeyStore keyStore;
    private StoreIndex index;
    private Object stamp;
    private final Map<String, byte[]> plain = new HashMap<>();
    /** Sequence of the last change applied in memory, of the last one on disk, and of the last one lost. */
    private long applied;
    private long durable;
    private long lost;
    private boolean saving;

    public LocalKeystoreStore(Path home, Optional<String> password) {
        this.file = new KeystoreFile(home, password);
    }

    @Override
    public String type() {
        return "local";
    }

    /** The keystore file, for operators and tests. */
    public Path keystorePath() {
        return file.path();
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
        ReentrantLock lock = pathLocks.computeIfAbsent(path, p -> new ReentrantLock());
        lock.lock();
        try {
            return body.get();
        } finally {
            lock.unlock();
        }
    }

    /** Applies a finished change to the in-memory keystore and index; returns its sequence number. */
    private long install(String path, StoreIndex.History history, Overlay overlay) {
        synchronized (state) {
            open();
            try {
                for (Map.Entry<String, byte[]> op : overlay.ops.entrySet()) {
                    if (op.getValue() == DELETED) {
                        if (keyStore.containsAlias(op.getKey())) {
                            keyStore.deleteEntry(op.getKey());
                        }
                        plain.remove(op.getKey());
                    } else {
                        keyStore.setEntry(op.getKey(), new KeyStore.SecretKeyEntry(
                                new SecretKeySpec(op.getValue(), ENTRY_ALGORITHM)), file.protection());
                        plain.put(op.getKey(), op.getValue().clone());
                    }
                }
            } catch (GeneralSecurityException | RuntimeException e) {
                // Half a change may be in the keystore object: drop everything not on disk, as a failed save does.
                discardUnsaved();
                throw new StoreException("cannot write keystore entries of " + path + ": "
                        + e.getClass().getSimpleName(), false, e);
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
            byte[] image;
            long started;
            long encoded;
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
                        Thread.currentThread().interrupt();
                        throw new StoreException("interrupted while the keystore " + file.path() + " was saved",
                                true, e);
                    }
                }
                saving = true; // this thread saves the group: every change applied so far
                upTo = applied;
                started = System.nanoTime();
                try {
                    putIndex();
                    image = file.encode(keyStore);
                    encoded = System.nanoTime();
                } catch (RuntimeException e) {
                    saving = false;
                    discardUnsaved();
                    state.notifyAll();
                    throw e;
                }
            }
            // Outside the lock: other secrets' changes keep being applied meanwhile and form the next group.
            RuntimeException failure = null;
            try {
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

    private void putIndex() {
        try {
            byte[] raw = JSON.writeValueAsBytes(index);
            keyStore.setEntry(AliasNames.INDEX, new KeyStore.SecretKeyEntry(new SecretKeySpec(raw, ENTRY_ALGORITHM)),
                    file.protection());
        } catch (IOException e) {
            throw new StoreException("cannot encode the store index", false, e);
        } catch (GeneralSecurityException e) {
            throw new StoreException("cannot write the store index: " + e.getClass().getSimpleName(), false, e);
        }
    }

    /** Forgets every change not on disk (they fail) and reloads from the file at the next use. */
    private void discardUnsaved() {
        lost = applied;
        keyStore = null;
        index = null;
        plain.clear();
    }

    /** Loads the keystore unless it is loaded and the file is still the one we loaded or wrote. Holds {@link #state}. */
    private void open() {
        if (keyStore != null && (saving || applied > durable || Objects.equals(stamp, file.stamp()))) {
            return;
        }
        Object before = file.stamp();
        KeyStore ks = file.load();
        try {
            byte[] raw = read(ks, AliasNames.INDEX);
            StoreIndex loaded = raw == null ? new StoreIndex() : JSON.readValue(raw, StoreIndex.class);
            keyStore = ks;
            index = loaded;
            stamp = before;
            plain.clear();
        } catch (IOException e) {
            throw new StoreException("cannot read the index of keystore " + file.path(), false, e);
        }
    }

    private byte[] read(KeyStore ks, String alias) {
        try {
            KeyStore.Entry entry = ks.getEntry(alias, file.protection());
            return entry instanceof KeyStore.SecretKeyEntry s ? s.getSecretKey().getEncoded() : null;
        } catch (GeneralSecurityException e) {
            throw new StoreException("cannot read keystore entry " + alias + ": " + e.getClass().getSimpleName(),
                    false, e);
        }
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
                if (plain.containsKey(alias)) {
                    byte[] cached = plain.get(alias);
                    return cached == null ? null : cached.clone();
                }
                byte[] raw = read(keyStore, alias);
                plain.put(alias, raw == null ? null : raw.clone());
                return raw;
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

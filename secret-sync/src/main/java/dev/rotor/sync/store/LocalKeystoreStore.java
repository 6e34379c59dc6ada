package dev.rotor.sync.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotor.contracts.json.RotorJson;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code local} store: one BCFKS keystore file holding every version's material as a secret key entry
 * ({@code <path>#v<N>}) and the metadata as a JSON entry, so material and labels always change together in one
 * atomic file replacement. One writer lock serialises every access.
 */
public class LocalKeystoreStore implements SecretStore {
    // BCFKS stores secret keys only under algorithms it knows; HMAC keys accept material of any length.
    static final String ENTRY_ALGORITHM = "HmacSHA256";
    private static final ObjectMapper JSON = RotorJson.mapper();

    private final KeystoreFile file;
    private final ReentrantLock lock = new ReentrantLock();
    private KeyStore keyStore;
    private StoreIndex index;

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
        withLock(() -> null);
    }

    @Override
    public List<SecretVersion> versions(String path) {
        return withLock(() -> {
            StoreIndex.History h = index.secrets.get(path);
            return h == null ? List.of() : h.versions.stream().map(StoreIndex.Meta::view).toList();
        });
    }

    @Override
    public String read(String path, int version) {
        return withLock(() -> new KeystoreEditor(this, path,
                index.secrets.getOrDefault(path, new StoreIndex.History())).value(version));
    }

    @Override
    public <R> R update(String path, Function<VersionEditor, R> change) {
        return withLock(() -> {
            boolean fresh = !index.secrets.containsKey(path);
            KeystoreEditor editor = new KeystoreEditor(this, path, history(path));
            try {
                R result = change.apply(editor);
                if (editor.dirty()) {
                    putBytes(AliasNames.INDEX, JSON.writeValueAsBytes(index));
                    file.save(keyStore);
                } else if (fresh) {
                    index.secrets.remove(path);
                }
                return result;
            } catch (IOException e) {
                reset();
                throw new StoreException("cannot encode the store index", false, e);
            } catch (RuntimeException e) {
                reset(); // the in-memory keystore may hold half a change; the file holds the last good state
                throw e;
            }
        });
    }

    private StoreIndex.History history(String path) {
        return index.secrets.computeIfAbsent(path, p -> new StoreIndex.History());
    }

    byte[] getBytes(String alias) {
        try {
            KeyStore.Entry entry = keyStore.getEntry(alias, file.protection());
            return entry instanceof KeyStore.SecretKeyEntry s ? s.getSecretKey().getEncoded() : null;
        } catch (GeneralSecurityException e) {
            throw new StoreException("cannot read keystore entry " + alias + ": " + e.getClass().getSimpleName(),
                    false, e);
        }
    }

    void putBytes(String alias, byte[] material) {
        try {
            keyStore.setEntry(alias, new KeyStore.SecretKeyEntry(new SecretKeySpec(material, ENTRY_ALGORITHM)),
                    file.protection());
        } catch (GeneralSecurityException e) {
            throw new StoreException("cannot write keystore entry " + alias + ": " + e.getClass().getSimpleName(),
                    false, e);
        }
    }

    void delete(String alias) {
        try {
            if (keyStore.containsAlias(alias)) {
                keyStore.deleteEntry(alias);
            }
        } catch (GeneralSecurityException e) {
            throw new StoreException("cannot delete keystore entry " + alias, false, e);
        }
    }

    private <R> R withLock(java.util.function.Supplier<R> body) {
        lock.lock();
        try {
            open();
            return body.get();
        } finally {
            lock.unlock();
        }
    }

    private void open() {
        if (keyStore != null) {
            return;
        }
        KeyStore ks = file.load();
        keyStore = ks;
        try {
            byte[] raw = getBytes(AliasNames.INDEX);
            index = raw == null ? new StoreIndex() : JSON.readValue(raw, StoreIndex.class);
        } catch (IOException e) {
            keyStore = null;
            throw new StoreException("cannot read the index of keystore " + file.path(), false, e);
        }
    }

    private void reset() {
        keyStore = null;
        index = null;
    }
}

package dev.rotor.reencrypt.keys;

import dev.rotor.contracts.catalog.StoreRef;
import dev.rotor.contracts.cipher.ColumnCodec;
import dev.rotor.contracts.cipher.MasterKey;
import dev.rotor.contracts.store.LocalStoreFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads versions from secret-sync's local store, {@code <home>/keystore/} in the shared {@link LocalStoreFormat}
 * (the keystore file {@code rotor.bcfks} and the sealed image {@code rotor.store}), where a version's material is its
 * UTF-8 value (for a Lockbox master key: 64 hex digits; for a Fernet key: URL-safe base64 of 32 bytes; for a Rails
 * key: the key itself, from which the codec derives the AES key). The password is {@code ROTOR_KEYSTORE_PASSWORD},
 * else the {@code keystore.password} file secret-sync generated beside it. Both files are read afresh on every call,
 * since secret-sync replaces the image atomically when it stages a version.
 */
public final class LocalKeystoreReader implements KeyMaterialSource {

    private final Path dir;
    private final Optional<String> password;

    public LocalKeystoreReader(Path home, Optional<String> password) {
        this.dir = home.resolve(LocalStoreFormat.DIRECTORY);
        this.password = password.filter(p -> !p.isEmpty());
    }

    /** Opens the store once for all {@code versions}: each opening derives three keys from the password. */
    @Override
    public Map<Integer, MasterKey> loadAll(StoreRef store, List<Integer> versions, ColumnCodec codec) {
        String type = store == null || store.type() == null ? "" : store.type();
        if (!type.equals("local")) {
            throw new KeyUnavailableException("store type '" + type + "' is not the local keystore", false);
        }
        Path file = dir.resolve(LocalStoreFormat.FILE);
        if (!Files.exists(file)) {
            throw new KeyUnavailableException("no local keystore at " + file, true);
        }
        Map<Integer, String> aliases = new LinkedHashMap<>();
        versions.forEach(v -> aliases.put(v, LocalStoreFormat.versionAlias(store.path(), v)));
        Map<Integer, MasterKey> keys = new LinkedHashMap<>();
        Map<String, byte[]> raw = Map.of();
        char[] pw = password();
        try {
            raw = LocalStoreFormat.readMaterials(dir, pw, aliases.values());
            for (Map.Entry<Integer, String> alias : aliases.entrySet()) {
                byte[] material = raw.get(alias.getValue());
                if (material != null) {
                    keys.put(alias.getKey(), key(store, alias.getKey(), material, codec));
                }
            }
            return keys;
        } catch (LocalStoreFormat.StoreImageException e) {
            throw new KeyUnavailableException("cannot open the local keystore: " + e.getMessage(), false, e);
        } catch (IOException e) {
            throw new KeyUnavailableException("cannot open the local keystore " + file + " (check "
                    + "ROTOR_KEYSTORE_PASSWORD): " + e.getClass().getSimpleName(), false, e);
        } catch (GeneralSecurityException e) {
            throw new KeyUnavailableException("cannot read versions " + versions + " of secret " + store.path()
                    + " from the local keystore: " + e.getClass().getSimpleName(), false, e);
        } catch (RuntimeException e) {
            keys.values().forEach(MasterKey::destroy);
            throw e;
        } finally {
            raw.values().forEach(b -> Arrays.fill(b, (byte) 0));
            Arrays.fill(pw, '\0');
        }
    }

    /**
     * Opens the store as a job would, reading no version: whether the file and the password work, said in one line
     * (no material, no password). The worker runs it at start-up ({@code LocalKeystoreCheck}).
     *
     * @return empty when there is no local keystore (yet); else what opening it found
     */
    public Optional<Check> check() {
        Path file = dir.resolve(LocalStoreFormat.FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        char[] pw = null;
        try {
            pw = password();
            LocalStoreFormat.readMaterials(dir, pw, List.of());
            return Optional.of(new Check(true, "the local keystore " + file + " opens with its password"));
        } catch (KeyUnavailableException e) {
            return Optional.of(new Check(false, e.getMessage()));
        } catch (LocalStoreFormat.StoreImageException e) {
            return Optional.of(new Check(false, "cannot open the local keystore: " + e.getMessage()));
        } catch (IOException | GeneralSecurityException e) {
            return Optional.of(new Check(false, "cannot open the local keystore " + file + " (check"
                    + " ROTOR_KEYSTORE_PASSWORD): " + e.getClass().getSimpleName()));
        } finally {
            if (pw != null) {
                Arrays.fill(pw, '\0');
            }
        }
    }

    /** What {@link #check} found: whether the store opened, and a line for the log. */
    public record Check(boolean opened, String message) {
    }

    private static MasterKey key(StoreRef store, int version, byte[] material, ColumnCodec codec) {
        try {
            return codec.readMasterKey(version, new String(material, StandardCharsets.UTF_8).trim());
        } catch (IllegalArgumentException e) {
            // readMasterKey names lengths and positions only.
            throw new KeyUnavailableException("version " + version + " of secret " + store.path()
                    + " is not a " + codec.name() + " key: " + e.getMessage(), false);
        }
    }

    private char[] password() {
        if (password.isPresent()) {
            return password.get().toCharArray();
        }
        Path file = dir.resolve(LocalStoreFormat.PASSWORD_FILE);
        try {
            return Files.readString(file, StandardCharsets.UTF_8).trim().toCharArray();
        } catch (IOException e) {
            throw new KeyUnavailableException("no keystore password: set ROTOR_KEYSTORE_PASSWORD or let secret-sync"
                    + " create " + file, false, e);
        }
    }
}

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
import java.util.Optional;

/**
 * Reads versions from secret-sync's local store, {@code <home>/keystore/rotor.bcfks} in the shared
 * {@link LocalStoreFormat}, where a version's material is its UTF-8 value (for a Lockbox master key: 64 hex digits; for
 * a Fernet key: URL-safe base64 of 32 bytes).
 * The password is {@code ROTOR_KEYSTORE_PASSWORD}, else the {@code keystore.password} file secret-sync generated
 * beside it. The file is read afresh on every call, since secret-sync replaces it atomically when it stages a version.
 */
public final class LocalKeystoreReader implements KeyMaterialSource {

    private final Path dir;
    private final Optional<String> password;

    public LocalKeystoreReader(Path home, Optional<String> password) {
        this.dir = home.resolve(LocalStoreFormat.DIRECTORY);
        this.password = password.filter(p -> !p.isEmpty());
    }

    @Override
    public MasterKey load(StoreRef store, int version, ColumnCodec codec) {
        String type = store == null || store.type() == null ? "" : store.type();
        if (!type.equals("local")) {
            throw new KeyUnavailableException("store type '" + type + "' is not readable by reencrypt-worker yet "
                    + "(only local)", false);
        }
        Path file = dir.resolve(LocalStoreFormat.FILE);
        if (!Files.exists(file)) {
            throw new KeyUnavailableException("no local keystore at " + file, true);
        }
        char[] pw = password();
        try {
            byte[] raw = LocalStoreFormat.readMaterial(Files.readAllBytes(file), pw,
                    LocalStoreFormat.versionAlias(store.path(), version)).orElseThrow(() ->
                    new KeyUnavailableException("version " + version + " of secret " + store.path()
                            + " has no material in the local keystore (never staged, or retired)", true));
            try {
                return codec.readMasterKey(version, new String(raw, StandardCharsets.UTF_8).trim());
            } catch (IllegalArgumentException e) {
                // readMasterKey names lengths and positions only.
                throw new KeyUnavailableException("version " + version + " of secret " + store.path()
                        + " is not a " + codec.name() + " key: " + e.getMessage(), false);
            } finally {
                Arrays.fill(raw, (byte) 0);
            }
        } catch (IOException e) {
            throw new KeyUnavailableException("cannot open the local keystore " + file + " (check "
                    + "ROTOR_KEYSTORE_PASSWORD): " + e.getClass().getSimpleName(), false, e);
        } catch (GeneralSecurityException e) {
            throw new KeyUnavailableException("cannot read version " + version + " of secret " + store.path()
                    + " from the local keystore: " + e.getClass().getSimpleName(), false, e);
        } finally {
            Arrays.fill(pw, '\0');
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

package dev.rotor.reencrypt.keys;

import dev.rotor.contracts.catalog.StoreRef;
import dev.rotor.contracts.cipher.MasterKey;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.Optional;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Reads versions from secret-sync's local store: {@code <home>/keystore/rotor.bcfks}, a BCFKS keystore whose version
 * entries are secret keys holding the UTF-8 value (for a Lockbox master key: 64 hex digits). The password is
 * {@code ROTOR_KEYSTORE_PASSWORD}, else the {@code keystore.password} file secret-sync generated beside it. The file
 * is read afresh on every call, since secret-sync replaces it atomically when it stages a version.
 */
public final class LocalKeystoreReader implements KeyMaterialSource {
    private static final BouncyCastleProvider PROVIDER = new BouncyCastleProvider();

    private final Path dir;
    private final Optional<String> password;

    public LocalKeystoreReader(Path home, Optional<String> password) {
        this.dir = home.resolve("keystore");
        this.password = password.filter(p -> !p.isEmpty());
    }

    @Override
    public MasterKey load(StoreRef store, int version) {
        String type = store == null || store.type() == null ? "" : store.type();
        if (!type.equals("local")) {
            throw new KeyUnavailableException("store type '" + type + "' is not readable by reencrypt-worker yet "
                    + "(only local)", false);
        }
        Path file = dir.resolve("rotor.bcfks");
        if (!Files.exists(file)) {
            throw new KeyUnavailableException("no local keystore at " + file, true);
        }
        char[] pw = password();
        try {
            KeyStore ks = KeyStore.getInstance("BCFKS", PROVIDER);
            ks.load(new ByteArrayInputStream(Files.readAllBytes(file)), pw);
            KeyStore.Entry entry = ks.getEntry(KeystoreAliases.version(store.path(), version),
                    new KeyStore.PasswordProtection(pw));
            if (!(entry instanceof KeyStore.SecretKeyEntry secret)) {
                throw new KeyUnavailableException("version " + version + " of secret " + store.path()
                        + " has no material in the local keystore (never staged, or retired)", true);
            }
            byte[] raw = secret.getSecretKey().getEncoded();
            try {
                return MasterKey.fromHex(version, new String(raw, StandardCharsets.UTF_8).trim());
            } catch (IllegalArgumentException e) {
                // fromHex names lengths and positions only.
                throw new KeyUnavailableException("version " + version + " of secret " + store.path()
                        + " is not a master key: " + e.getMessage(), false);
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
        Path file = dir.resolve("keystore.password");
        try {
            return Files.readString(file, StandardCharsets.UTF_8).trim().toCharArray();
        } catch (IOException e) {
            throw new KeyUnavailableException("no keystore password: set ROTOR_KEYSTORE_PASSWORD or let secret-sync"
                    + " create " + file, false, e);
        }
    }
}

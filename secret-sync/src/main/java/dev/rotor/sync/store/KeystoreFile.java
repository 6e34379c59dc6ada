package dev.rotor.sync.store;

import dev.rotor.sync.io.AtomicFiles;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The BCFKS file under {@code <home>/keystore/}: its password and its atomic load and save. Bouncy Castle is used
 * through its own provider instance, never registered JVM-wide.
 */
final class KeystoreFile {
    static final String FILE = "rotor.bcfks";
    static final String PASSWORD_FILE = "keystore.password";
    private static final BouncyCastleProvider PROVIDER = new BouncyCastleProvider();

    private final Path dir;
    private final Optional<String> configuredPassword;
    private char[] password;

    KeystoreFile(Path home, Optional<String> configuredPassword) {
        this.dir = home.resolve("keystore");
        this.configuredPassword = configuredPassword.filter(p -> !p.isEmpty());
    }

    Path path() {
        return dir.resolve(FILE);
    }

    KeyStore.ProtectionParameter protection() {
        return new KeyStore.PasswordProtection(password());
    }

    /** Loads the keystore, or an empty one when the file does not exist yet. */
    KeyStore load() {
        try {
            KeyStore ks = KeyStore.getInstance("BCFKS", PROVIDER);
            Path file = path();
            if (Files.exists(file)) {
                ks.load(new ByteArrayInputStream(Files.readAllBytes(file)), password());
            } else {
                ks.load(null, null);
            }
            return ks;
        } catch (IOException e) {
            // BCFKS reports a wrong password as an IOException; either way the operator must act.
            throw new StoreException("cannot open keystore " + path() + ": " + e.getMessage()
                    + " (check ROTOR_KEYSTORE_PASSWORD)", false, e);
        } catch (GeneralSecurityException e) {
            throw new StoreException("cannot open keystore " + path() + ": " + e.getClass().getSimpleName(), false, e);
        }
    }

    void save(KeyStore ks) {
        write(encode(ks));
    }

    /** The keystore's file image (integrity MAC included); the caller must own {@code ks} while this runs. */
    byte[] encode(KeyStore ks) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ks.store(out, password());
            return out.toByteArray();
        } catch (IOException e) {
            throw new StoreException("cannot write keystore " + path() + ": " + e.getMessage(), true, e);
        } catch (GeneralSecurityException e) {
            throw new StoreException("cannot write keystore " + path() + ": " + e.getClass().getSimpleName(), false, e);
        }
    }

    /** Replaces the file atomically (temp file, fsync, rename, directory fsync), owner-only. */
    void write(byte[] image) {
        try {
            AtomicFiles.write(path(), image, AtomicFiles.OWNER_ONLY);
        } catch (IOException e) {
            throw new StoreException("cannot write keystore " + path() + ": " + e.getMessage(), true, e);
        }
    }

    /** What identifies the file's current content cheaply (inode, size, mtime); null when it does not exist. */
    Object stamp() {
        try {
            var attrs = Files.readAttributes(path(), java.nio.file.attribute.BasicFileAttributes.class);
            return java.util.List.of(String.valueOf(attrs.fileKey()), attrs.size(), attrs.lastModifiedTime());
        } catch (IOException e) {
            return null;
        }
    }

    private char[] password() {
        if (password == null) {
            ownerOnlyDirectory();
            password = configuredPassword.map(String::toCharArray).orElseGet(this::localPassword);
        }
        return password;
    }

    private void ownerOnlyDirectory() {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
            }
        } catch (IOException e) {
            throw new StoreException("cannot create keystore directory " + dir + ": " + e.getClass().getSimpleName(),
                    false, e);
        }
    }

    // The local default: generated once, kept beside the keystore, readable by the owner only.
    private char[] localPassword() {
        Path file = dir.resolve(PASSWORD_FILE);
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).trim().toCharArray();
            }
            byte[] raw = new byte[32];
            new SecureRandom().nextBytes(raw);
            String generated = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
            AtomicFiles.write(file, generated.getBytes(StandardCharsets.UTF_8), AtomicFiles.OWNER_ONLY);
            return generated.toCharArray();
        } catch (IOException e) {
            throw new StoreException("cannot read or create keystore password file " + file + ": "
                    + e.getClass().getSimpleName(), false, e);
        }
    }
}

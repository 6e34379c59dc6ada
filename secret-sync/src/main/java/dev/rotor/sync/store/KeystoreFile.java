package dev.rotor.sync.store;

import dev.rotor.sync.io.AtomicFiles;
import dev.rotor.contracts.store.LocalStoreFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The store's files under {@code <home>/keystore/}: the BCFKS keystore file holding the store key, and the image file
 * sealed under it; their password, and their atomic load and save. A save seals the image with the key kept from the
 * load, so it derives nothing from the password. The format is {@link LocalStoreFormat}, shared with
 * reencrypt-worker, which reads key material from it.
 */
final class KeystoreFile {
    static final String FILE = LocalStoreFormat.FILE;
    static final String PASSWORD_FILE = LocalStoreFormat.PASSWORD_FILE;

    private final Path dir;
    private final Optional<String> configuredPassword;
    private char[] password;
    /** The key the next save seals with: read from the keystore file, or created for a new or converted store. */
    private LocalStoreFormat.StoreKey key;
    /** Whether the keystore file on disk holds {@link #key}. */
    private boolean keyWritten;

    KeystoreFile(Path home, Optional<String> configuredPassword) {
        this.dir = home.resolve(LocalStoreFormat.DIRECTORY);
        this.configuredPassword = configuredPassword.filter(p -> !p.isEmpty());
    }

    Path path() {
        return dir.resolve(FILE);
    }

    /** The sealed image beside the keystore file. */
    Path imagePath() {
        return dir.resolve(LocalStoreFormat.IMAGE_FILE);
    }

    /** The store's contents, or empty contents when the file does not exist yet. Keeps the store key for saves. */
    synchronized LocalStoreFormat.Contents load() {
        Path file = path();
        try {
            if (!Files.exists(file)) {
                forgetKey();
                return LocalStoreFormat.Contents.empty();
            }
            LocalStoreFormat.Opened opened = LocalStoreFormat.open(dir, password());
            forgetKey();
            key = opened.key();
            keyWritten = key != null;
            return opened.contents();
        } catch (LocalStoreFormat.StoreImageException e) {
            throw new StoreException("cannot open keystore " + file + ": " + e.getMessage(), false, e);
        } catch (IOException e) {
            // BCFKS reports a wrong password as an IOException; either way the operator must act.
            throw new StoreException("cannot open keystore " + file + ": " + e.getMessage()
                    + " (check ROTOR_KEYSTORE_PASSWORD)", false, e);
        } catch (GeneralSecurityException e) {
            throw new StoreException("cannot open keystore " + file + ": " + e.getClass().getSimpleName(), false, e);
        }
    }

    /**
     * The image file of {@code contents}, sealed under the store key (a new key for a new store, or for one read in an
     * older format: {@link #write} then writes the keystore file too).
     */
    synchronized byte[] encode(LocalStoreFormat.Contents contents) {
        try {
            if (key == null) {
                key = LocalStoreFormat.StoreKey.generate();
                keyWritten = false;
            }
            return key.seal(contents);
        } catch (IOException e) {
            throw new StoreException("cannot write keystore " + path() + ": " + e.getMessage(), true, e);
        } catch (GeneralSecurityException e) {
            throw new StoreException("cannot write keystore " + path() + ": " + e.getClass().getSimpleName(), false, e);
        }
    }

    /**
     * Replaces the image file atomically (temp file, fsync, rename, directory fsync), owner-only; then, if the keystore
     * file does not hold the key the image was sealed with yet, the keystore file the same way. In that order, a crash
     * between the two leaves the old keystore file, which still reads as before.
     */
    synchronized void write(byte[] image) {
        try {
            AtomicFiles.write(imagePath(), image, AtomicFiles.OWNER_ONLY);
        } catch (IOException e) {
            throw new StoreException("cannot write keystore image " + imagePath() + ": " + e.getMessage(), true, e);
        }
        if (!keyWritten) {
            try {
                AtomicFiles.write(path(), key.keystoreFile(password()), AtomicFiles.OWNER_ONLY);
                keyWritten = true;
            } catch (IOException e) {
                throw new StoreException("cannot write keystore " + path() + ": " + e.getMessage(), true, e);
            } catch (GeneralSecurityException e) {
                throw new StoreException("cannot write keystore " + path() + ": " + e.getClass().getSimpleName(),
                        false, e);
            }
        }
    }

    /** What identifies both files' current content cheaply (inode, size, mtime); null when there is no store. */
    Object stamp() {
        Object keystore = stamp(path());
        return keystore == null ? null : java.util.List.of(keystore, String.valueOf(stamp(imagePath())));
    }

    private static Object stamp(Path path) {
        try {
            var attrs = Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class);
            return java.util.List.of(String.valueOf(attrs.fileKey()), attrs.size(), attrs.lastModifiedTime());
        } catch (IOException e) {
            return null;
        }
    }

    /** Destroys the store key in memory; the next {@link #load} reads it again. */
    synchronized void forget() {
        forgetKey();
    }

    private void forgetKey() {
        if (key != null) {
            key.destroy();
            key = null;
        }
        keyWritten = false;
    }

    /** Takes the single-writer lock of the keystore directory, creating the directory (owner-only) if needed. */
    KeystoreLock lock() {
        ownerOnlyDirectory();
        return KeystoreLock.acquire(dir);
    }

    private synchronized char[] password() {
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

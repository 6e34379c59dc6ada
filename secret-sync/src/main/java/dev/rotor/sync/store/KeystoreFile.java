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
 * The BCFKS file under {@code <home>/keystore/}: its password and its atomic load and save. The format is
 * {@link LocalStoreFormat}, shared with reencrypt-worker, which reads key material from it.
 */
final class KeystoreFile {
    static final String FILE = LocalStoreFormat.FILE;
    static final String PASSWORD_FILE = LocalStoreFormat.PASSWORD_FILE;

    private final Path dir;
    private final Optional<String> configuredPassword;
    private char[] password;

    KeystoreFile(Path home, Optional<String> configuredPassword) {
        this.dir = home.resolve(LocalStoreFormat.DIRECTORY);
        this.configuredPassword = configuredPassword.filter(p -> !p.isEmpty());
    }

    Path path() {
        return dir.resolve(FILE);
    }

    /** The store's contents, or empty contents when the file does not exist yet. */
    LocalStoreFormat.Contents load() {
        Path file = path();
        try {
            if (!Files.exists(file)) {
                return LocalStoreFormat.Contents.empty();
            }
            return LocalStoreFormat.read(Files.readAllBytes(file), password());
        } catch (IOException e) {
            // BCFKS reports a wrong password as an IOException; either way the operator must act.
            throw new StoreException("cannot open keystore " + file + ": " + e.getMessage()
                    + " (check ROTOR_KEYSTORE_PASSWORD)", false, e);
        } catch (GeneralSecurityException e) {
            throw new StoreException("cannot open keystore " + file + ": " + e.getClass().getSimpleName(), false, e);
        }
    }

    /** The file image of {@code contents} (encrypted, integrity MAC included). */
    byte[] encode(LocalStoreFormat.Contents contents) {
        try {
            return LocalStoreFormat.write(contents, password());
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

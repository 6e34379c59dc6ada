package dev.rotor.contracts.store;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The on-disk format of the {@code local} store, shared by secret-sync (which writes it) and reencrypt-worker (which
 * reads key material from it), in {@code <home>/keystore/}.
 *
 * <p><b>Format 3</b> (envelope): {@value #FILE}, a BCFKS keystore (encrypted and MACed as a whole under the store
 * password), holds one secret-key entry, {@value #KEY_ENTRY}: a random 16-byte key id and a random AES-256 store key.
 * {@value #IMAGE_FILE} holds the store image (secret-sync's index and every material by alias) sealed with AES-256-GCM
 * under that key: magic {@code "ROT3"}, format version (int, 3), the key id, a fresh 12-byte nonce, then the ciphertext
 * and its 16-byte tag; the first 24 bytes are the additional authenticated data, so a changed header, a byte flipped
 * anywhere, or an image sealed under another store's key is refused. The keystore file is written when the store is
 * created (or converted from an older format) and never again; a save seals and replaces the image file only.
 *
 * <p><b>Why an envelope.</b> BCFKS derives a key from the password with PBKDF2-HMAC-SHA512 at an iteration count
 * Bouncy Castle fixes (51,200) for every entry it encrypts and twice more for the store's encryption and MAC: three
 * derivations, 0.2 to 0.4 s of CPU on a 2-core machine, for every save. Under load that was about nine tenths of
 * secret-sync's CPU. Now the password is stretched only when the keystore file is opened (once per process in
 * secret-sync, once per read in reencrypt-worker, as before), at the same cost as before, and a save costs one
 * AES-GCM pass over the image. Nothing is weaker: the image's key is only ever on disk inside the BCFKS file.
 *
 * <p><b>Older formats</b> are still read. Format 2: the image as the BCFKS entry {@value #IMAGE_ENTRY}. Format 1: an
 * entry per material plus a {@code rotor.index} entry. Secret-sync converts either at its next save: it seals the image
 * file under a new key first and then replaces the keystore file, so a crash between the two leaves the old keystore
 * file, which readers use, and an image file nobody reads yet.
 *
 * <p>Image layout (big-endian): magic {@code "ROT2"}, format version (int, 2), index length and bytes, material count,
 * then per material: alias length and UTF-8 bytes, material length and bytes.
 */
public final class LocalStoreFormat {
    public static final String DIRECTORY = "keystore";
    public static final String FILE = "rotor.bcfks";
    public static final String PASSWORD_FILE = "keystore.password";
    public static final String IMAGE_ENTRY = "rotor.store";
    /** The keystore entry of format 3: key id and store key. */
    public static final String KEY_ENTRY = "rotor.store-key";
    /** The sealed image of format 3, beside {@link #FILE}. */
    public static final String IMAGE_FILE = "rotor.store";
    private static final int SEALED_MAGIC = 0x524f5433;
    private static final int SEALED_VERSION = 3;
    private static final int KEY_ID_LENGTH = 16;
    private static final int KEY_LENGTH = 32;
    private static final int NONCE_LENGTH = 12;
    private static final int TAG_BITS = 128;
    private static final int SEALED_HEADER = 8 + KEY_ID_LENGTH;
    private static final SecureRandom RANDOM = new SecureRandom();
    static final String LEGACY_INDEX = "rotor.index";
    private static final int MAGIC = 0x524f5432;
    private static final int VERSION = 2;
    // BCFKS keeps secret keys only under algorithms it knows; HMAC keys take material of any length.
    private static final String ENTRY_ALGORITHM = "HmacSHA256";
    private static final BouncyCastleProvider PROVIDER = new BouncyCastleProvider();

    private LocalStoreFormat() {
    }

    /**
     * What the store holds.
     *
     * @param index secret-sync's index, or null when the store has none yet
     * @param materials material by alias ({@link #versionAlias}, {@link #snapshotAlias})
     */
    public record Contents(byte[] index, Map<String, byte[]> materials) {
        public Contents {
            materials = Collections.unmodifiableMap(new LinkedHashMap<>(materials));
        }

        public static Contents empty() {
            return new Contents(null, Map.of());
        }

        /** The aliases only: the materials are secret. */
        @Override
        public String toString() {
            return "Contents[" + materials.size() + " materials: " + materials.keySet() + "]";
        }

        /** Overwrites every material and the index in memory, for callers done with them. */
        public void wipe() {
            materials.values().forEach(m -> Arrays.fill(m, (byte) 0));
            if (index != null) {
                Arrays.fill(index, (byte) 0);
            }
        }
    }

    /**
     * The image file of a format 3 store is missing, corrupt, changed, or from another store; the keystore file and its
     * password were fine.
     */
    public static final class StoreImageException extends IOException {
        StoreImageException(String message) {
            super(message);
        }

        StoreImageException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * A store as read from its directory.
     *
     * @param contents what it holds
     * @param key its store key when it is format 3; null for formats 1 and 2 (the writer then creates one)
     */
    public record Opened(Contents contents, StoreKey key) {
    }

    /**
     * Reads the store in {@code dir}, in any format.
     *
     * @throws java.nio.file.NoSuchFileException there is no {@value #FILE} (no store yet)
     * @throws IOException the keystore file is not a keystore, or the password is wrong (BCFKS cannot tell the two
     *     apart), or the image file is missing, corrupt, changed, or sealed under another store's key
     * @throws GeneralSecurityException an entry cannot be decrypted
     */
    public static Opened open(Path dir, char[] password) throws IOException, GeneralSecurityException {
        KeyStore ks = load(Files.readAllBytes(dir.resolve(FILE)), password);
        StoreKey key = storeKey(ks, password);
        if (key == null) {
            return new Opened(contents(ks, password), null);
        }
        byte[] image = key.unseal(dir.resolve(IMAGE_FILE));
        try {
            return new Opened(decode(image), key);
        } finally {
            Arrays.fill(image, (byte) 0);
        }
    }

    /** One material, from one opening of the store; empty when the store has no such alias. */
    public static Optional<byte[]> readMaterial(Path dir, char[] password, String alias)
            throws IOException, GeneralSecurityException {
        return Optional.ofNullable(readMaterials(dir, password, List.of(alias)).get(alias));
    }

    /**
     * Several materials from one opening of the store (an opening derives three keys from the password, which is most
     * of a read's cost); an alias the store does not hold is absent from the map. The caller wipes the arrays.
     */
    public static Map<String, byte[]> readMaterials(Path dir, char[] password, Collection<String> aliases)
            throws IOException, GeneralSecurityException {
        Opened opened = open(dir, password);
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (String alias : aliases) {
            byte[] found = opened.contents().materials().get(alias);
            if (found != null) {
                out.put(alias, found.clone());
            }
        }
        opened.contents().wipe();
        if (opened.key() != null) {
            opened.key().destroy();
        }
        return out;
    }

    /**
     * The keystore file of format 2 (the image as a BCFKS entry), which secret-sync no longer writes. Kept so that
     * the modules that read or convert it can test that they do.
     */
    public static byte[] writeFormat2(Contents contents, char[] password) throws IOException,
            GeneralSecurityException {
        byte[] image = encode(contents);
        try {
            return oneEntryKeystore(IMAGE_ENTRY, image, password);
        } finally {
            Arrays.fill(image, (byte) 0);
        }
    }

    /**
     * The key that seals a format 3 store's image: a key id and an AES-256 key, both random. Thread-safe; the key
     * bytes never leave it except inside {@link #keystoreFile}, BCFKS-encrypted.
     */
    public static final class StoreKey {
        private final byte[] id;
        private final byte[] key;
        private volatile boolean destroyed;

        private StoreKey(byte[] id, byte[] key) {
            this.id = id;
            this.key = key;
        }

        /** A new key, for a new store or one converted from an older format. */
        public static StoreKey generate() {
            byte[] id = new byte[KEY_ID_LENGTH];
            byte[] key = new byte[KEY_LENGTH];
            RANDOM.nextBytes(id);
            RANDOM.nextBytes(key);
            return new StoreKey(id, key);
        }

        /** The keystore file ({@value #FILE}) that holds this key under the password. */
        public byte[] keystoreFile(char[] password) throws IOException, GeneralSecurityException {
            byte[] entry = new byte[KEY_ID_LENGTH + KEY_LENGTH];
            System.arraycopy(id, 0, entry, 0, KEY_ID_LENGTH);
            System.arraycopy(key(), 0, entry, KEY_ID_LENGTH, KEY_LENGTH);
            try {
                return oneEntryKeystore(KEY_ENTRY, entry, password);
            } finally {
                Arrays.fill(entry, (byte) 0);
            }
        }

        /** The image file ({@value #IMAGE_FILE}) of {@code contents}, sealed under this key with a fresh nonce. */
        public byte[] seal(Contents contents) throws IOException, GeneralSecurityException {
            byte[] image = encode(contents);
            try {
                byte[] nonce = new byte[NONCE_LENGTH];
                RANDOM.nextBytes(nonce);
                byte[] header = header();
                Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
                gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key(), "AES"), new GCMParameterSpec(TAG_BITS, nonce));
                gcm.updateAAD(header);
                byte[] out = new byte[SEALED_HEADER + NONCE_LENGTH + gcm.getOutputSize(image.length)];
                System.arraycopy(header, 0, out, 0, SEALED_HEADER);
                System.arraycopy(nonce, 0, out, SEALED_HEADER, NONCE_LENGTH);
                gcm.doFinal(image, 0, image.length, out, SEALED_HEADER + NONCE_LENGTH);
                return out;
            } finally {
                Arrays.fill(image, (byte) 0);
            }
        }

        /** Overwrites the key in memory, once its owner is done with it; it cannot be used afterwards. */
        public void destroy() {
            destroyed = true;
            Arrays.fill(key, (byte) 0);
        }

        private byte[] key() {
            if (destroyed) {
                throw new IllegalStateException("the store key was destroyed");
            }
            return key;
        }

        private byte[] header() {
            return ByteBuffer.allocate(SEALED_HEADER).putInt(SEALED_MAGIC).putInt(SEALED_VERSION).put(id).array();
        }

        private byte[] unseal(Path file) throws IOException, GeneralSecurityException {
            byte[] sealed;
            try {
                sealed = Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                throw new StoreImageException("the keystore file holds a store key but the store image " + file
                        + " is missing", e);
            }
            if (sealed.length < SEALED_HEADER + NONCE_LENGTH + TAG_BITS / 8
                    || ByteBuffer.wrap(sealed).getInt() != SEALED_MAGIC) {
                throw new StoreImageException("the store image " + file + " is not a sealed Rotor store image");
            }
            int version = ByteBuffer.wrap(sealed).getInt(4);
            if (version != SEALED_VERSION) {
                throw new StoreImageException("the store image " + file + " has format " + version
                        + "; this build reads " + SEALED_VERSION + " (a newer Rotor wrote it?)");
            }
            if (!MessageDigest.isEqual(Arrays.copyOfRange(sealed, 8, SEALED_HEADER), id)) {
                throw new StoreImageException("the store image " + file + " was sealed under another store's key"
                        + " than the one in " + FILE + " (files from two stores mixed?)");
            }
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key(), "AES"),
                    new GCMParameterSpec(TAG_BITS, sealed, SEALED_HEADER, NONCE_LENGTH));
            gcm.updateAAD(sealed, 0, SEALED_HEADER);
            try {
                int offset = SEALED_HEADER + NONCE_LENGTH;
                return gcm.doFinal(sealed, offset, sealed.length - offset);
            } catch (AEADBadTagException e) {
                throw new StoreImageException("the store image " + file + " does not authenticate: it was changed"
                        + " or is corrupt", e);
            }
        }

        /** Never the key. */
        @Override
        public String toString() {
            return "StoreKey[redacted]";
        }
    }

    private static StoreKey storeKey(KeyStore ks, char[] password) throws IOException, GeneralSecurityException {
        byte[] entry = entry(ks, KEY_ENTRY, password);
        if (entry == null) {
            return null;
        }
        try {
            if (entry.length != KEY_ID_LENGTH + KEY_LENGTH) {
                throw new IOException("the keystore's " + KEY_ENTRY + " entry has " + entry.length + " bytes, not "
                        + (KEY_ID_LENGTH + KEY_LENGTH));
            }
            return new StoreKey(Arrays.copyOfRange(entry, 0, KEY_ID_LENGTH),
                    Arrays.copyOfRange(entry, KEY_ID_LENGTH, entry.length));
        } finally {
            Arrays.fill(entry, (byte) 0);
        }
    }

    /** Formats 1 and 2. */
    private static Contents contents(KeyStore ks, char[] password) throws IOException, GeneralSecurityException {
        byte[] image = entry(ks, IMAGE_ENTRY, password);
        if (image != null) {
            try {
                return decode(image);
            } finally {
                Arrays.fill(image, (byte) 0);
            }
        }
        // Format 1: an entry per material.
        Map<String, byte[]> materials = new LinkedHashMap<>();
        byte[] index = null;
        for (String alias : Collections.list(ks.aliases())) {
            byte[] raw = entry(ks, alias, password);
            if (alias.equals(LEGACY_INDEX)) {
                index = raw;
            } else if (raw != null) {
                materials.put(alias, raw);
            }
        }
        return new Contents(index, materials);
    }

    /** A new BCFKS keystore file holding {@code bytes} as its one secret-key entry. */
    private static byte[] oneEntryKeystore(String alias, byte[] bytes, char[] password) throws IOException,
            GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("BCFKS", PROVIDER);
        ks.load(null, null);
        ks.setEntry(alias, new KeyStore.SecretKeyEntry(new SecretKeySpec(bytes, ENTRY_ALGORITHM)),
                new KeyStore.PasswordProtection(password));
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + 1024);
        ks.store(out, password);
        return out.toByteArray();
    }

    /** The alias of a version's material. */
    public static String versionAlias(String path, int version) {
        return sanitize(path) + "#v" + version;
    }

    /** The alias of a value a rotation saved to undo a target write. */
    public static String snapshotAlias(String path, UUID rotationId, String key) {
        return sanitize(path) + "#snap-" + rotationId + "-" + sanitize(key);
    }

    /**
     * Keeps {@code [a-z0-9._-]}; every other byte of the UTF-8 form (upper case too, in case a keystore folds case)
     * becomes {@code ~XX}, so {@code a/b} and {@code a_b} never collide.
     */
    public static String sanitize(String raw) {
        StringBuilder out = new StringBuilder();
        for (byte b : raw.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-') {
                out.append(c);
            } else {
                out.append('~').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    private static KeyStore load(byte[] file, char[] password) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("BCFKS", PROVIDER);
        ks.load(new ByteArrayInputStream(file), password);
        return ks;
    }

    private static byte[] entry(KeyStore ks, String alias, char[] password) throws GeneralSecurityException {
        if (!ks.containsAlias(alias)) {
            return null;
        }
        KeyStore.Entry entry = ks.getEntry(alias, new KeyStore.PasswordProtection(password));
        return entry instanceof KeyStore.SecretKeyEntry s ? s.getSecretKey().getEncoded() : null;
    }

    static byte[] encode(Contents contents) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            byte[] index = contents.index() == null ? new byte[0] : contents.index();
            out.writeInt(index.length);
            out.write(index);
            out.writeInt(contents.materials().size());
            for (Map.Entry<String, byte[]> e : contents.materials().entrySet()) {
                byte[] alias = e.getKey().getBytes(StandardCharsets.UTF_8);
                out.writeInt(alias.length);
                out.write(alias);
                out.writeInt(e.getValue().length);
                out.write(e.getValue());
            }
        }
        return bytes.toByteArray();
    }

    static Contents decode(byte[] image) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(image))) {
            if (image.length < 8 || in.readInt() != MAGIC) {
                throw new IOException("the local store's image entry is not a Rotor store image");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IOException("the local store's image has format " + version + "; this build reads "
                        + VERSION + " (a newer Rotor wrote it?)");
            }
            byte[] index = bytes(in, image.length, "index");
            int count = in.readInt();
            if (count < 0 || count > image.length) {
                throw new IOException("the local store's image is corrupt (material count " + count + ")");
            }
            Map<String, byte[]> materials = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                String alias = new String(bytes(in, image.length, "alias"), StandardCharsets.UTF_8);
                materials.put(alias, bytes(in, image.length, "material"));
            }
            if (in.available() != 0) {
                throw new IOException("the local store's image is corrupt (" + in.available() + " trailing bytes)");
            }
            return new Contents(index.length == 0 ? null : index, materials);
        }
    }

    private static byte[] bytes(DataInputStream in, int limit, String what) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > limit) {
            throw new IOException("the local store's image is corrupt (" + what + " length " + length + ")");
        }
        byte[] out = new byte[length];
        in.readFully(out);
        return out;
    }
}

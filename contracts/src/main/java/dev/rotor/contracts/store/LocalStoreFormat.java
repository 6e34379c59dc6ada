package dev.rotor.contracts.store;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The on-disk format of the {@code local} store, shared by secret-sync (which writes it) and reencrypt-worker (which
 * reads key material from it): {@code <home>/keystore/rotor.bcfks}, a BCFKS keystore (encrypted and MACed as a whole
 * under the store password) holding a single secret-key entry, {@value #IMAGE_ENTRY}, whose bytes are the store image:
 * secret-sync's index (JSON, opaque here) and every material by alias.
 *
 * <p><b>Why one entry.</b> BCFKS encrypts each secret-key entry under a key derived from the password with
 * PBKDF2-HMAC-SHA512 at an iteration count Bouncy Castle fixes (51,200: about 60 ms here). With an entry per version a
 * rotation paid that four times, serially, under the store's lock. One entry costs one derivation per save, however
 * many changes the save carries. Nothing is weaker: every entry was under the same password, and the entry, the
 * store encryption and the store MAC each still derive their own key from it at the same cost.
 *
 * <p><b>Format 1</b> (before the image entry): an entry per material plus a {@code rotor.index} entry. It is still
 * read, entry by entry, and secret-sync rewrites it as an image at its next save.
 *
 * <p>Image layout (big-endian): magic {@code "ROT2"}, format version (int, 2), index length and bytes, material count,
 * then per material: alias length and UTF-8 bytes, material length and bytes.
 */
public final class LocalStoreFormat {
    public static final String DIRECTORY = "keystore";
    public static final String FILE = "rotor.bcfks";
    public static final String PASSWORD_FILE = "keystore.password";
    public static final String IMAGE_ENTRY = "rotor.store";
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
     * Reads a keystore file's contents.
     *
     * @throws IOException the file is not a keystore, or the password is wrong (BCFKS cannot tell the two apart)
     * @throws GeneralSecurityException an entry cannot be decrypted
     */
    public static Contents read(byte[] file, char[] password) throws IOException, GeneralSecurityException {
        KeyStore ks = load(file, password);
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

    /** One material, without decoding the rest of a format 1 store; empty when the store has no such alias. */
    public static Optional<byte[]> readMaterial(byte[] file, char[] password, String alias)
            throws IOException, GeneralSecurityException {
        return Optional.ofNullable(readMaterials(file, password, List.of(alias)).get(alias));
    }

    /**
     * Several materials from one opening of the store (each opening derives three keys from the password, which is
     * most of a read's cost); an alias the store does not hold is absent from the map. The caller wipes the arrays.
     */
    public static Map<String, byte[]> readMaterials(byte[] file, char[] password, Collection<String> aliases)
            throws IOException, GeneralSecurityException {
        KeyStore ks = load(file, password);
        Map<String, byte[]> out = new LinkedHashMap<>();
        byte[] image = entry(ks, IMAGE_ENTRY, password);
        if (image == null) {
            for (String alias : aliases) {
                byte[] raw = entry(ks, alias, password);
                if (raw != null) {
                    out.put(alias, raw);
                }
            }
            return out;
        }
        Contents contents = decode(image);
        Arrays.fill(image, (byte) 0);
        for (String alias : aliases) {
            byte[] found = contents.materials().get(alias);
            if (found != null) {
                out.put(alias, found.clone());
            }
        }
        contents.wipe();
        return out;
    }

    /** The keystore file for {@code contents}: a new BCFKS store with the image as its only entry. */
    public static byte[] write(Contents contents, char[] password) throws IOException, GeneralSecurityException {
        byte[] image = encode(contents);
        try {
            KeyStore ks = KeyStore.getInstance("BCFKS", PROVIDER);
            ks.load(null, null);
            ks.setEntry(IMAGE_ENTRY, new KeyStore.SecretKeyEntry(new SecretKeySpec(image, ENTRY_ALGORITHM)),
                    new KeyStore.PasswordProtection(password));
            ByteArrayOutputStream out = new ByteArrayOutputStream(image.length + 1024);
            ks.store(out, password);
            return out.toByteArray();
        } finally {
            Arrays.fill(image, (byte) 0);
        }
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

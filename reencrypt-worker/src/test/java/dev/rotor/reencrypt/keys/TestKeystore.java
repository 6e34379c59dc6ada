package dev.rotor.reencrypt.keys;

import dev.rotor.contracts.store.LocalStoreFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes a keystore in secret-sync's local store format ({@link LocalStoreFormat}), with the given versions. */
public final class TestKeystore {
    private TestKeystore() {
    }

    public static void write(Path home, String password, String secretPath, Map<Integer, String> versions)
            throws Exception {
        write(home, password, Map.of(secretPath, versions));
    }

    /** Several secrets in one keystore: secret path → version → value. */
    public static void write(Path home, String password, Map<String, Map<Integer, String>> secrets) throws Exception {
        Path dir = home.resolve(LocalStoreFormat.DIRECTORY);
        Files.createDirectories(dir);
        Map<String, byte[]> materials = new LinkedHashMap<>();
        secrets.forEach((secretPath, versions) -> versions.forEach((version, value) -> materials.put(
                LocalStoreFormat.versionAlias(secretPath, version), value.getBytes(StandardCharsets.UTF_8))));
        byte[] index = "{\"secrets\":{}}".getBytes(StandardCharsets.UTF_8);
        LocalStoreFormat.StoreKey key = LocalStoreFormat.StoreKey.generate();
        Files.write(dir.resolve(LocalStoreFormat.IMAGE_FILE),
                key.seal(new LocalStoreFormat.Contents(index, materials)));
        Files.write(dir.resolve(LocalStoreFormat.FILE), key.keystoreFile(password.toCharArray()));
        Files.writeString(dir.resolve(LocalStoreFormat.PASSWORD_FILE), password + "\n");
    }
}

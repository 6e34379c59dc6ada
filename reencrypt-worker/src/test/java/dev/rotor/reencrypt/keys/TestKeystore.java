package dev.rotor.reencrypt.keys;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/** Writes a keystore the way secret-sync's local store does (alias {@code <sanitized path>#v<N>}, HmacSHA256 entry). */
public final class TestKeystore {
    private TestKeystore() {
    }

    public static void write(Path home, String password, String secretPath, Map<Integer, String> versions)
            throws Exception {
        Path dir = home.resolve("keystore");
        Files.createDirectories(dir);
        KeyStore ks = KeyStore.getInstance("BCFKS", new BouncyCastleProvider());
        ks.load(null, null);
        KeyStore.PasswordProtection protection = new KeyStore.PasswordProtection(password.toCharArray());
        for (var e : versions.entrySet()) {
            ks.setEntry(KeystoreAliases.version(secretPath, e.getKey()), new KeyStore.SecretKeyEntry(
                    new SecretKeySpec(e.getValue().getBytes(StandardCharsets.UTF_8), "HmacSHA256")), protection);
        }
        ks.setEntry("rotor.index", new KeyStore.SecretKeyEntry(new SecretKeySpec(
                "{\"secrets\":{}}".getBytes(StandardCharsets.UTF_8), "HmacSHA256")), protection);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ks.store(out, password.toCharArray());
        Files.write(dir.resolve("rotor.bcfks"), out.toByteArray());
        Files.writeString(dir.resolve("keystore.password"), password + "\n");
    }
}

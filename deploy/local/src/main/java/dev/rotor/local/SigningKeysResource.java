package dev.rotor.local;

import dev.rotor.contracts.signing.MessageSigner;
import dev.rotor.contracts.signing.SigningKeys;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Gives every {@code @QuarkusTest} the signing settings ({@code rotor.signing.*}) of one pair of test keys per JVM,
 * generated under {@code rotor.local.dir}; tests that write commands or rotation requests themselves sign them with
 * {@link #commandSigner()} or {@link #bridgeSigner()}. Like {@link KafkaResource}, the keys are shared by every test
 * class, and found again by a resource loaded through another Quarkus class loader.
 */
public class SigningKeysResource implements QuarkusTestResourceLifecycleManager {
    static final String JVM_DIR_PROPERTY = "rotor.local.signing.dir";

    @Override
    public Map<String, String> start() {
        return files().properties();
    }

    @Override
    public void stop() {
        // Shared for the whole JVM; the files go with target/.
    }

    /** This JVM's test key files, creating them on first use. */
    public static synchronized SigningKeyFiles files() {
        String dir = System.getProperty(JVM_DIR_PROPERTY);
        if (dir == null) {
            dir = LocalDirs.freshDir("signing-").resolve("auth").toString();
            System.setProperty(JVM_DIR_PROPERTY, dir);
        }
        return SigningKeyFiles.ensure(Path.of(dir));
    }

    /** Signs as the orchestrator does: the key the workers trust. */
    public static MessageSigner commandSigner() {
        return signer(files().commandKey());
    }

    /** Signs as a chat-ops or incident bridge does: a key the orchestrator trusts for rotation requests. */
    public static MessageSigner bridgeSigner() {
        return signer(files().bridgeKey());
    }

    private static MessageSigner signer(Path key) {
        return MessageSigner.of(SigningKeys.requirePrivate(key.toString(), Optional.of(key.toString())));
    }
}

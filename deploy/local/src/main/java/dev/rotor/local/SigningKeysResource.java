package dev.rotor.local;

import dev.rotor.contracts.signing.MessageSigner;
import dev.rotor.contracts.signing.SigningKeys;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Gives every {@code @QuarkusTest} the signing settings ({@code rotor.signing.*}) of test keys generated once per JVM
 * under {@code rotor.local.dir}; tests that write commands or rotation requests themselves sign them with
 * {@link #commandSigner()} or {@link #bridgeSigner()}. Like {@link KafkaResource}, the keys are shared by every test
 * class, and found again by a resource loaded through another Quarkus class loader.
 *
 * <p>Init arg {@code role}: {@value #ORCHESTRATOR} (the command key and the bridge public key) or {@value #WORKER}
 * (the command public key). Only the service's own settings are given, because a service refuses settings under its
 * {@code rotor.signing} mapping that it does not know. Test resources apply to every test of a module, so one
 * annotated class is enough; annotating several, use the same role.
 */
public class SigningKeysResource implements QuarkusTestResourceLifecycleManager {
    public static final String ORCHESTRATOR = "orchestrator";
    public static final String WORKER = "worker";
    static final String JVM_DIR_PROPERTY = "rotor.local.signing.dir";

    private String role;

    @Override
    public void init(Map<String, String> initArgs) {
        role = initArgs.get("role");
    }

    @Override
    public Map<String, String> start() {
        SigningKeyFiles files = files();
        if (ORCHESTRATOR.equals(role)) {
            return Map.of("rotor.signing.command-key", files.commandKey().toString(),
                    "rotor.signing.request-verify-keys", files.bridgePublic().toString());
        }
        if (WORKER.equals(role)) {
            return Map.of("rotor.signing.command-verify-key", files.commandPublic().toString());
        }
        throw new IllegalArgumentException("SigningKeysResource needs the init arg role = " + ORCHESTRATOR + " or "
                + WORKER + ", not " + role);
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

package dev.rotor.local;

import dev.rotor.contracts.signing.SigningKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The local stack's two Ed25519 pairs in one directory ({@code $ROTOR_HOME/auth/} for {@code deploy/rotor}): the
 * orchestrator's command key, which the workers trust, and a bridge key, which the orchestrator trusts for rotation
 * requests. Created once and reused; private keys are created with mode 0600.
 */
public record SigningKeyFiles(Path commandKey, Path commandPublic, Path bridgeKey, Path bridgePublic) {

    /** The pairs under {@code dir}, creating whichever is missing. Safe to call again and from several processes. */
    public static SigningKeyFiles ensure(Path dir) {
        try {
            LocalDirs.ownerOnlyDir(dir);
            SigningKeyFiles files = new SigningKeyFiles(dir.resolve("command-signing.key"),
                    dir.resolve("command-signing.pub"), dir.resolve("bridge-signing.key"),
                    dir.resolve("bridge-signing.pub"));
            pair(files.commandKey, files.commandPublic);
            pair(files.bridgeKey, files.bridgePublic);
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the signing keys under " + dir, e);
        }
    }

    /** The services' settings for these keys, as environment variables. */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ROTOR_SIGNING_COMMAND_KEY", commandKey.toString());
        env.put("ROTOR_SIGNING_COMMAND_VERIFY_KEY", commandPublic.toString());
        env.put("ROTOR_SIGNING_REQUEST_VERIFY_KEYS", bridgePublic.toString());
        return env;
    }

    private static void pair(Path privateFile, Path publicFile) throws IOException {
        if (!Files.exists(privateFile)) {
            try {
                SigningKeys.write(SigningKeys.generate(), privateFile, publicFile);
                return;
            } catch (FileAlreadyExistsException raced) {
                // another process wrote it; use theirs
            }
        }
        if (!Files.exists(publicFile)) {
            // A crash between the two writes: the public key follows from the private one.
            var key = SigningKeys.requirePrivate(privateFile.toString(), Optional.of(privateFile.toString()));
            Files.writeString(publicFile, SigningKeys.publicPem(SigningKeys.publicOf(key)), StandardCharsets.US_ASCII);
        }
    }
}

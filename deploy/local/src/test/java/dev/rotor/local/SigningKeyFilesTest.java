package dev.rotor.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.contracts.messages.RotationRequestSubmitted;
import dev.rotor.contracts.messages.Topics;
import dev.rotor.contracts.messages.Trigger;
import dev.rotor.contracts.signing.MessageVerifier;
import dev.rotor.contracts.signing.SigningKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeyFilesTest {
    @TempDir
    Path home;

    @Test
    void keysAreCreatedOnceOwnerOnlyAndReused() throws Exception {
        Path auth = home.resolve("auth");
        SigningKeyFiles first = SigningKeyFiles.ensure(auth);
        String command = Files.readString(first.commandKey());

        SigningKeyFiles again = SigningKeyFiles.ensure(auth);

        assertThat(Files.readString(again.commandKey())).isEqualTo(command);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(auth))).isEqualTo("rwx------");
        for (Path key : List.of(first.commandKey(), first.bridgeKey())) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        }
        assertThat(first.environment()).containsOnlyKeys("ROTOR_SIGNING_COMMAND_KEY",
                "ROTOR_SIGNING_COMMAND_VERIFY_KEY", "ROTOR_SIGNING_REQUEST_VERIFY_KEYS");
    }

    @Test
    void aLostPublicKeyIsRewrittenFromItsPrivateKey() throws Exception {
        SigningKeyFiles files = SigningKeyFiles.ensure(home.resolve("auth"));
        String bridgePublic = Files.readString(files.bridgePublic());
        Files.delete(files.bridgePublic());

        SigningKeyFiles.ensure(home.resolve("auth"));

        assertThat(Files.readString(files.bridgePublic())).isEqualTo(bridgePublic);
    }

    @Test
    void theTestSignersMatchTheKeysTheServicesAreGiven() {
        SigningKeyFiles files = SigningKeysResource.files();
        var verifier = new MessageVerifier(List.of(SigningKeys.requirePublic("p",
                Optional.of(files.commandPublic().toString()))), Duration.ofHours(1), Duration.ofMinutes(2),
                Clock.systemUTC());
        var request = new RotationRequestSubmitted(UUID.randomUUID(), "s", Trigger.MANUAL, null, null, null,
                Instant.now());
        var record = SigningKeysResource.commandSigner().record(Topics.ROTATION_REQUESTS, request, "/test");

        assertThat(verifier.read(record.headers(), record.value())).isEqualTo(request);
        SigningKeysResource worker = new SigningKeysResource();
        worker.init(Map.of("role", SigningKeysResource.WORKER));
        assertThat(worker.start()).containsExactly(Map.entry("rotor.signing.command-verify-key",
                files.commandPublic().toString()));
    }
}

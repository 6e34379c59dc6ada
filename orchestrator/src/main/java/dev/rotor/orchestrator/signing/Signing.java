package dev.rotor.orchestrator.signing;

import dev.rotor.contracts.signing.MessageSigner;
import dev.rotor.contracts.signing.MessageVerifier;
import dev.rotor.contracts.signing.SigningKeyException;
import dev.rotor.contracts.signing.SigningKeys;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The orchestrator's signing keys, read at start-up so that a missing or unusable key stops the service with a
 * message naming the setting, rather than failing its first command.
 */
@Startup
@Singleton
public class Signing {
    private final MessageSigner commands;
    private final MessageVerifier requests;

    public Signing(SigningConfig config) {
        this.commands = MessageSigner.of(SigningKeys.requirePrivate("rotor.signing.command-key",
                config.commandKey()));
        List<String> bridgeKeys = config.requestVerifyKeys().orElse(List.of());
        if (bridgeKeys.isEmpty()) {
            throw new SigningKeyException("rotor.signing.request-verify-keys is not set: it names the files of the "
                    + "bridges' Ed25519 public keys, X.509 PEM");
        }
        this.requests = new MessageVerifier(bridgeKeys.stream()
                .map(file -> SigningKeys.requirePublic("rotor.signing.request-verify-keys", Optional.of(file)))
                .toList(), config.maxAge(), config.maxClockSkew(), Clock.systemUTC());
    }

    /** Signs the {@code step-requested} commands the outbox relay sends. */
    public MessageSigner commands() {
        return commands;
    }

    /** Checks the {@code rotation-request-submitted} records of the bridges. */
    public MessageVerifier requests() {
        return requests;
    }
}

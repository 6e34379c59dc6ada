package dev.rotor.orchestrator.signing;

import dev.rotor.contracts.signing.MessageSigner;
import dev.rotor.contracts.signing.MessageVerifier;
import dev.rotor.contracts.signing.SigningKeys;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;
import java.util.List;

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
        this.requests = MessageVerifier.ofKeyFiles("rotor.signing.request-verify-keys",
                config.requestVerifyKeys().orElse(List.of()), config.maxAge(), config.maxClockSkew());
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

package dev.rotor.reencrypt.command;

import dev.rotor.contracts.messages.StepRequested;
import dev.rotor.contracts.signing.MessageVerifier;
import dev.rotor.reencrypt.config.SigningConfig;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;
import java.util.List;
import org.apache.kafka.common.header.Headers;

/**
 * Reads a command only when the orchestrator signed it, inside the replay window. Built at start-up, so a missing
 * or unusable {@code rotor.signing.command-verify-key} stops the service with a message naming the setting.
 */
@Startup
@Singleton
public class CommandTrust {
    private final MessageVerifier verifier;

    public CommandTrust(SigningConfig config) {
        this.verifier = MessageVerifier.ofKeyFiles("rotor.signing.command-verify-key",
                config.commandVerifyKey().map(List::of).orElse(List.of()), config.maxAge(), config.maxClockSkew());
    }

    /**
     * @throws dev.rotor.contracts.signing.UntrustedMessageException unsigned, badly signed, or outside the window
     * @throws dev.rotor.contracts.messages.MalformedMessageException signed, but not a step-requested command
     */
    public StepRequested read(Headers headers, byte[] payload) {
        return verifier.read(headers, payload, StepRequested.class);
    }
}

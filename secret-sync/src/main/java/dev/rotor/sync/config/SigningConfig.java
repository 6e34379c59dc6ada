package dev.rotor.sync.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** How commands are authenticated (prefix {@code rotor.signing}): the orchestrator's public key, and the window. */
@ConfigMapping(prefix = "rotor.signing")
public interface SigningConfig {

    /**
     * File of the orchestrator's Ed25519 public command key (X.509 PEM): the pair of its
     * {@code rotor.signing.command-key}. Required: commands not signed by it are dead-lettered.
     */
    Optional<String> commandVerifyKey();

    /**
     * How old a signed command may be. The orchestrator signs a command as it sends it, so a command is normally
     * seconds old; an hour covers this worker being restarted or the broker being out, when commands wait in the
     * topic. It is not needed for correctness: a command refused as too old times out in the orchestrator, whose
     * retry is signed afresh. A copied command cannot be replayed after the hour; inside it, a repeat is an
     * ordinary at-least-once duplicate, which the handlers de-duplicate.
     */
    @WithDefault("1h")
    Duration maxAge();

    /** How far in the future a signed time may be: the clocks of two hosts under NTP differ by far less. */
    @WithDefault("2m")
    Duration maxClockSkew();
}

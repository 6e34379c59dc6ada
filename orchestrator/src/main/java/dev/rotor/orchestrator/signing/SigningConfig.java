package dev.rotor.orchestrator.signing;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Message signing (prefix {@code rotor.signing}): the key commands are signed with, the keys requests must carry. */
@ConfigMapping(prefix = "rotor.signing")
public interface SigningConfig {

    /**
     * File of the Ed25519 private key (PKCS#8 PEM) that signs every {@code step-requested}. Required: the workers
     * refuse unsigned commands. The workers' {@code rotor.signing.command-verify-key} is its public key.
     */
    Optional<String> commandKey();

    /**
     * Files of the public keys (X.509 PEM) of the bridges allowed to submit {@code rotation-request-submitted}
     * (chat-ops, incident webhooks). Required: unsigned or otherwise signed requests are dead-lettered.
     */
    Optional<List<String>> requestVerifyKeys();

    /**
     * How old a signed request may be. An hour: a bridge signs as it sends, so a request is seconds old unless this
     * service was down or the broker out; an hour covers such outages without a second request, yet a copied request
     * cannot be replayed the next day. A repeat inside the hour is de-duplicated on its request id.
     */
    @WithDefault("1h")
    Duration maxAge();

    /** How far in the future a signed time may be: the clocks of two hosts under NTP differ by far less. */
    @WithDefault("2m")
    Duration maxClockSkew();
}

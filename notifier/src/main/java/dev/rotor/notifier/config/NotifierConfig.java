package dev.rotor.notifier.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** The notifier's settings. Channel secrets are not here: the catalog names the environment variables holding them. */
@ConfigMapping(prefix = "rotor.notifier")
public interface NotifierConfig {

    /** Path of the catalog YAML; {@code application.properties} fills it from {@code ROTOR_CATALOG}. */
    Optional<String> catalog();

    /** HTTP delivery to webhook and Slack channels. */
    Delivery delivery();

    /** The redelivery guard. */
    Dedupe dedupe();

    interface Delivery {
        /** Attempts per message, the first included. */
        @WithDefault("5")
        int attempts();

        /** Wait before the second attempt; it doubles for each further one. */
        @WithDefault("200ms")
        Duration initialBackoff();

        /** Upper bound of the wait between attempts. */
        @WithDefault("5s")
        Duration maxBackoff();

        @WithDefault("2s")
        Duration connectTimeout();

        /** Time allowed for one request, response included. */
        @WithDefault("5s")
        Duration requestTimeout();

        /** Messages waiting per channel before new ones are dropped (a channel that is down must not eat memory). */
        @WithDefault("1000")
        int queueCapacity();
    }

    interface Dedupe {
        /** How many (event id, channel) pairs are remembered; the oldest are forgotten first. */
        @WithDefault("10000")
        int capacity();
    }
}

package dev.rotor.notifier.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * The notifier's settings. Channel secrets are not here: the catalog names the environment variables holding them
 * (SMTP credentials are the standard {@code quarkus.mailer.*} settings).
 */
@ConfigMapping(prefix = "rotor.notifier")
public interface NotifierConfig {

    /** Path of the catalog YAML; {@code application.properties} fills it from {@code ROTOR_CATALOG}. */
    Optional<String> catalog();

    /** Delivery to every channel but the log. */
    Delivery delivery();

    /** The redelivery guard. */
    Dedupe dedupe();

    /** Where messages point a reader to. */
    Links links();

    PagerDuty pagerduty();

    Slack slack();

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

        /**
         * How long a replica's claim on a delivery holds without renewal. A live replica renews its claims at every
         * sweep; once a stopped one's claims run out, another replica takes them over and sends them.
         */
        @WithDefault("60s")
        Duration lease();

        /** How often each replica renews its claims, takes over expired ones and prunes old ones. */
        @WithDefault("10s")
        Duration sweepInterval();
    }

    interface Dedupe {
        /**
         * How long a delivered (event id, channel) pair and a Slack message's {@code ts} are kept in the database.
         * Longer than a rotation's grace, so that {@code previous-retired} still updates its Slack message.
         */
        @WithDefault("720h")
        Duration retention();
    }

    interface Links {
        /** The orchestrator's base URL as a reader can open it; messages link to {@code /api/rotations/{id}}. */
        @WithDefault("http://127.0.0.1:8080")
        String orchestratorUrl();
    }

    interface PagerDuty {
        /** The Events API v2 endpoint (a test points it at a local receiver). */
        @WithDefault("https://events.pagerduty.com/v2/enqueue")
        String eventsUrl();
    }

    interface Slack {
        /** The Web API base for bot mode ({@code chat.postMessage}, {@code chat.update}). */
        @WithDefault("https://slack.com/api")
        String apiUrl();
    }
}

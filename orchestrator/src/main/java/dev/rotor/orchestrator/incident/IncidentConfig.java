package dev.rotor.orchestrator.incident;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * The inbound incident webhooks' signing secrets (prefix {@code rotor.incidents}), from the environment
 * ({@code ROTOR_INCIDENTS_PAGERDUTY_SECRET}, {@code ROTOR_INCIDENTS_GITHUB_SECRET},
 * {@code ROTOR_INCIDENTS_WEBHOOK_SECRET}), never from the catalog. A webhook whose secret is unset refuses every
 * delivery with 401. The values are never logged or returned.
 */
@ConfigMapping(prefix = "rotor.incidents")
public interface IncidentConfig {
    /** PagerDuty V3 webhook subscription. */
    Source pagerduty();

    /** GitHub repository or organisation webhook. */
    Source github();

    /** The generic HMAC-signed webhook. */
    Generic webhook();

    interface Source {
        /** The webhook's signing secret; unset disables the endpoint (401). */
        Optional<String> secret();
    }

    interface Generic extends Source {
        /** How far the signed {@code X-Rotor-Timestamp} may be from now, either way, before a delivery is refused. */
        @WithDefault("5m")
        Duration maxAge();
    }
}

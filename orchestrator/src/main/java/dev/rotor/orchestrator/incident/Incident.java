package dev.rotor.orchestrator.incident;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * An incident as a webhook reported it, reduced to what the catalog's {@code incidents:} rules match on. Never holds
 * a leaked value (GitHub's alert carries one; it is not read).
 *
 * @param source     {@code pagerduty}, {@code github} or {@code webhook}
 * @param id         the incident's id at its source: it de-duplicates redeliveries and names the requester
 * @param title      for people, and for {@code title} patterns
 * @param services   the PagerDuty service's id and name (or the generic webhook's service)
 * @param occurredAt when the incident began, by its source; null when unknown
 */
public record Incident(String source, String id, String title, List<String> services, String secretType,
        String repository, Instant occurredAt) {
    public Incident {
        requireNonNull(source, "source");
        requireNonNull(id, "id");
        services = services == null ? List.of() : services.stream().filter(s -> s != null && !s.isBlank()).toList();
    }

    /** {@code <source>:<id>}: the rotations' requester and their incident reference. */
    public String reference() {
        return source + ":" + id;
    }

    /** The reason recorded on each rotation. */
    public String reason() {
        return source + " incident " + id + (title == null || title.isBlank() ? "" : ": " + title);
    }
}

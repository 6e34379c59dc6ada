package dev.rotor.contracts.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Set;

/**
 * Catalog {@code incidents:}: which entries an incident reported by a webhook rotates, as EMERGENCY. Every matcher given
 * must match (an absent one matches anything); at least one is required.
 *
 * @param source     {@code pagerduty}, {@code github} or {@code webhook} (the generic HMAC-signed webhook)
 * @param service    exact PagerDuty service id or name (or the generic webhook's {@code service})
 * @param title      a regular expression found in the incident's title
 * @param secretType exact leaked-secret type, e.g. GitHub's {@code secret_type} {@code slack_api_token}
 * @param repository a regular expression matching the whole repository full name, e.g. {@code acme/.*}
 * @param rotate     the ids of the catalog entries to rotate
 */
public record IncidentRule(String source, String service, String title,
        @JsonProperty("secret-type") String secretType, String repository, List<String> rotate) {
    public static final String PAGERDUTY = "pagerduty";
    public static final String GITHUB = "github";
    public static final String WEBHOOK = "webhook";
    public static final Set<String> SOURCES = Set.of(PAGERDUTY, GITHUB, WEBHOOK);

    public IncidentRule {
        rotate = rotate == null ? List.of() : List.copyOf(rotate);
    }

    /** True when no matcher is given: such a rule would rotate on every incident, so it is refused. */
    boolean matchesEverything() {
        return service == null && title == null && secretType == null && repository == null;
    }
}

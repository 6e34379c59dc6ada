package dev.rotor.orchestrator.incident;

import dev.rotor.contracts.catalog.IncidentRule;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Which catalog entries an incident rotates: the union of the {@code rotate} lists of every rule that matches. */
public final class IncidentMatcher {
    private IncidentMatcher() {
    }

    /** The entry ids in rule order, each once. */
    public static List<String> entries(List<IncidentRule> rules, Incident incident) {
        Set<String> ids = new LinkedHashSet<>();
        for (IncidentRule rule : rules) {
            if (matches(rule, incident)) {
                ids.addAll(rule.rotate());
            }
        }
        return List.copyOf(ids);
    }

    static boolean matches(IncidentRule rule, Incident incident) {
        return rule.source().equals(incident.source())
                && (rule.service() == null || incident.services().contains(rule.service()))
                && (rule.title() == null || (incident.title() != null
                        && Pattern.compile(rule.title()).matcher(incident.title()).find()))
                && (rule.secretType() == null || rule.secretType().equals(incident.secretType()))
                && (rule.repository() == null || (incident.repository() != null
                        && Pattern.compile(rule.repository()).matcher(incident.repository()).matches()));
    }
}

package dev.rotor.orchestrator.incident;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.contracts.catalog.IncidentRule;
import java.util.List;
import org.junit.jupiter.api.Test;

class IncidentMatcherTest {
    private static final List<IncidentRule> RULES = List.of(
            new IncidentRule("pagerduty", "PAUTH01", null, null, null, List.of("jwt-secret")),
            new IncidentRule("pagerduty", null, "(?i)database", null, null, List.of("db-password", "jwt-secret")),
            new IncidentRule("github", null, null, "slack_api_token", "acme/.*", List.of("slack-token")));

    @Test
    void unitesTheEntriesOfEveryRuleThatMatchesEachOnce() {
        Incident pd = new Incident("pagerduty", "Q1", "Database credentials leaked", List.of("PAUTH01", "Auth API"),
                null, null, null);
        assertThat(IncidentMatcher.entries(RULES, pd)).containsExactly("jwt-secret", "db-password");
        assertThat(IncidentMatcher.entries(RULES, new Incident("pagerduty", "Q2", "Disk full",
                List.of("PAUTH01"), null, null, null))).containsExactly("jwt-secret");
        assertThat(IncidentMatcher.entries(RULES, new Incident("pagerduty", "Q3", "Disk full",
                List.of("POTHER"), null, null, null))).isEmpty();
    }

    @Test
    void aLeakMatchesOnItsTypeAndTheWholeRepositoryName() {
        assertThat(IncidentMatcher.entries(RULES, new Incident("github", "acme/app#1", null, List.of(),
                "slack_api_token", "acme/app", null))).containsExactly("slack-token");
        assertThat(IncidentMatcher.entries(RULES, new Incident("github", "evil/acme/app#1", null, List.of(),
                "slack_api_token", "evil/acme/app", null))).as("the pattern matches the whole name").isEmpty();
        assertThat(IncidentMatcher.entries(RULES, new Incident("github", "acme/app#2", null, List.of(),
                "aws_access_key_id", "acme/app", null))).isEmpty();
        assertThat(IncidentMatcher.entries(RULES, new Incident("webhook", "x", "database", List.of("PAUTH01"),
                "slack_api_token", "acme/app", null))).as("rules apply to their own source only").isEmpty();
    }
}

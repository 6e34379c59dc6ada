package dev.rotor.contracts.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotor.contracts.messages.Trigger;
import org.junit.jupiter.api.Test;

/** Catalog {@code incidents:} rules and the related-secrets cascade setting. */
class IncidentRuleTest {
    private static final String ENTRIES = """
            secrets:
              - id: jwt-secret
                kind: signing-key
                strategy: dual-key
                generator: { type: base64, bytes: 64 }
                store: { type: local, path: app/jwt-secret }
                related: [ session-secret ]
              - id: session-secret
                kind: signing-key
                strategy: dual-key
                generator: { type: base64, bytes: 64 }
                store: { type: local, path: app/session-secret }
            """;

    @Test
    void readsRulesOfEverySource() {
        Catalog catalog = CatalogLoader.parse(ENTRIES + """
                incidents:
                  - { source: pagerduty, service: PAUTH01, title: "(?i)jwt", rotate: [ jwt-secret ] }
                  - { source: github, secret-type: jwt_secret, repository: "acme/.*", rotate: [ jwt-secret ] }
                  - { source: webhook, service: siem, rotate: [ session-secret ] }
                """, "t");

        assertThat(catalog.incidents()).containsExactly(
                new IncidentRule("pagerduty", "PAUTH01", "(?i)jwt", null, null, java.util.List.of("jwt-secret")),
                new IncidentRule("github", null, null, "jwt_secret", "acme/.*", java.util.List.of("jwt-secret")),
                new IncidentRule("webhook", "siem", null, null, null, java.util.List.of("session-secret")));
    }

    @Test
    void refusesRulesThatCannotWorkNamingEachField() {
        String yaml = ENTRIES + """
                incidents:
                  - { source: opsgenie, title: "([", rotate: [ ghost ] }
                  - { source: github, repository: "acme/*(" }
                  - { source: pagerduty, rotate: [ jwt-secret ] }
                """;
        assertThatThrownBy(() -> CatalogLoader.parse(yaml, "c.yaml"))
                .isInstanceOfSatisfying(CatalogException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "incidents[0].source: required, one of github, pagerduty, webhook",
                        "incidents[0].title: not a valid regular expression: Unclosed character class",
                        "incidents[0].rotate: no secret with id 'ghost'",
                        "incidents[1].repository: not a valid regular expression: Unclosed group",
                        "incidents[1].rotate: required: the ids of the entries an incident that matches rotates",
                        "incidents[2].service: a rule needs at least one of service, title, secret-type or repository"));
    }

    @Test
    void refusesAWebhookSecretWrittenIntoARule() {
        assertThatThrownBy(() -> CatalogLoader.parse(ENTRIES + """
                incidents:
                  - { source: github, secret: hunter2, secret-type: x, rotate: [ jwt-secret ] }
                """, "c.yaml"))
                .isInstanceOfSatisfying(CatalogException.class, e -> assertThat(e.problems())
                        .containsExactly("incidents[0].secret: unknown field 'secret'"))
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void relatedEntriesCascadeOnEmergenciesOrAlwaysWhenConfigured() {
        SecretEntry byDefault = CatalogLoader.parse(ENTRIES, "t").find("jwt-secret").orElseThrow();
        assertThat(byDefault.cascadesOn(Trigger.EMERGENCY)).isTrue();
        assertThat(byDefault.cascadesOn(Trigger.MANUAL)).isFalse();
        SecretEntry always = CatalogLoader.parse(ENTRIES.replace("related: [ session-secret ]",
                "related: [ session-secret ]\n    cascade: always"), "t").find("jwt-secret").orElseThrow();
        assertThat(always.cascadesOn(Trigger.SCHEDULED)).isTrue();
        assertThat(CatalogLoader.parse(ENTRIES, "t").find("session-secret").orElseThrow()
                .cascadesOn(Trigger.EMERGENCY)).as("no related entries").isFalse();
        assertThatThrownBy(() -> CatalogLoader.parse(ENTRIES.replace("related: [ session-secret ]",
                "related: [ session-secret ]\n    cascade: sometimes"), "c.yaml"))
                .isInstanceOfSatisfying(CatalogException.class, e -> assertThat(e.problems())
                        .containsExactly("secrets[jwt-secret].cascade: emergency or always, was 'sometimes'"));
    }
}

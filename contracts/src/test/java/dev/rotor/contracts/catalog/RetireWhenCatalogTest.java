package dev.rotor.contracts.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code retire-when}: what is read, with its defaults, and what is refused, each refusal naming its field. */
class RetireWhenCatalogTest {
    private static final String ENTRY = """
            secrets:
              - id: app-key
                kind: signing-key
                strategy: %s
                generator: { type: base64, bytes: 32 }
                store: { type: local, path: app/key }
                targets:
                  - { type: env-file, path: /srv/app/.env, variable: APP_KEY }
                grace: 48h
            """;

    private static SecretEntry parse(String extra) {
        return CatalogLoader.parse(ENTRY.formatted("dual-key") + extra, "t").find("app-key").orElseThrow();
    }

    private static List<String> problems(String strategy, String extra) {
        try {
            CatalogLoader.parse(ENTRY.formatted(strategy) + extra, "t");
        } catch (CatalogException e) {
            return e.problems();
        }
        throw new AssertionError("accepted: " + extra);
    }

    @Test
    void readsBothSourcesWithTheirDefaults() {
        RetireWhenSpec prom = parse("""
                    retire-when: { source: prometheus, query: 'sum(rate(jwt_verified{key="{version}"}[5m]))', max-share: 5%, for: 30m, max-grace: 7d, alert-above: 10%, alert-after: 3d }
                """).retireWhen();
        assertThat(prom.maxShareFraction()).isEqualTo(0.05);
        assertThat(prom.alertAboveFraction()).contains(0.10);
        assertThat(prom.holdForDuration()).isEqualTo(Duration.ofMinutes(30));
        assertThat(prom.maxGraceDuration()).isEqualTo(Duration.ofDays(7));
        assertThat(prom.alertAfterDuration()).isEqualTo(Duration.ofDays(3));

        RetireWhenSpec http = parse("""
                    retire-when: { source: http, url: "http://app:3000/health/keys", max-share: 0.5% }
                """).retireWhen();
        assertThat(http.maxShareFraction()).isEqualTo(0.005);
        assertThat(http.holdForDuration()).isEqualTo(Duration.ofMinutes(30));
        assertThat(http.maxGraceDuration()).isEqualTo(Duration.ofDays(7));
        assertThat(http.alertAboveFraction()).isEqualTo(Optional.empty());
        assertThat(http.fieldPointer()).isEqualTo("/previousShare");
        assertThat(parse("").retireWhen()).isNull();
    }

    @Test
    void refusesEachBadFieldByName() {
        assertThat(problems("dual-key", """
                    retire-when: { source: graphite, max-share: 5 }
                """)).containsExactly(
                "secrets[app-key].retire-when.source: required, http or prometheus",
                "secrets[app-key].retire-when.max-share: '5' is not a percentage such as 5% or 0.5%");
        assertThat(problems("dual-key", """
                    retire-when: { source: prometheus, url: "http://prom:9090", for: 30 minutes, alert-above: 120% }
                """)).containsExactly(
                "secrets[app-key].retire-when.query: required for source prometheus: a PromQL expression giving the"
                        + " share, 0 to 1",
                "secrets[app-key].retire-when.url: not used by source prometheus (its server is"
                        + " rotor.orchestrator.retire-gate.prometheus-url); remove url and field",
                "secrets[app-key].retire-when.max-share: required, a percentage such as 5%",
                "secrets[app-key].retire-when.alert-above: '120%' is not a percentage such as 5% or 0.5%",
                "secrets[app-key].retire-when.for: '30 minutes' is not a duration such as 90s, 30m, 48h or 7d");
        assertThat(problems("dual-key", """
                    retire-when: { source: http, url: "ftp://app/share", query: up, field: "a b", max-share: 5%, alert-above: 2%, max-grace: 1d, alert-after: 2d }
                """)).containsExactly(
                "secrets[app-key].retire-when.url: required for source http: the http(s) url that reports the share",
                "secrets[app-key].retire-when.query: not used by source http; remove it",
                "secrets[app-key].retire-when.field: a field name or a JSON Pointer such as /keys/previousShare",
                "secrets[app-key].retire-when.alert-above: 2% is below max-share 5%; the alert must be at or above"
                        + " the share that allows retirement",
                "secrets[app-key].retire-when.max-grace: 1d is shorter than the entry's grace; the gate only starts"
                        + " once the grace has passed",
                "secrets[app-key].retire-when.alert-after: 2d is after max-grace, where the version is retired"
                        + " anyway");
        assertThat(problems("immediate", """
                    retire-when: { source: http, url: "http://app/share", max-share: 5%, alert-after: 1d }
                """)).containsExactly(
                "secrets[app-key].retire-when: the immediate strategy keeps no previous version to retire",
                "secrets[app-key].retire-when.alert-after: given without alert-above");
    }

    @Test
    void theUrlIsRedactedWhenTheSpecIsPrinted() {
        RetireWhenSpec spec = parse("""
                    retire-when: { source: http, url: "https://user:hunter2@app/share?token=abc", max-share: 5% }
                """).retireWhen();
        assertThat(spec.toString()).doesNotContain("hunter2").doesNotContain("token=abc");
    }
}

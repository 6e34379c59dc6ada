package dev.rotor.contracts.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code rollout}: what is read, the waves' reach, and what is refused, each refusal naming its field. */
class RolloutCatalogTest {
    private static final String ENTRY = """
            secrets:
              - id: app-key
                kind: signing-key
                strategy: %s
                generator: { type: base64, bytes: 32 }
                store: { type: local, path: app/key }
                targets:
                  - { type: env-file, path: /srv/a/.env, variable: APP_KEY }
                  - { type: env-file, path: /srv/b/.env, variable: APP_KEY }
                  - { type: env-file, path: /srv/c/.env, variable: APP_KEY }
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
    void readsTheWavesAndTheGateWithItsDefaults() {
        SecretEntry entry = parse("""
                    rollout:
                      waves: [ 10%, 50%, 100% ]
                      gate: { source: prometheus, query: 'sum(rate(http_errors{cohort="{wave}"}[5m]))', max: 2% }
                    reload:
                      - { type: http, url: "http://a/reload", wave: 1 }
                      - { type: http, url: "http://b/reload" }
                """);
        RolloutSpec rollout = entry.rollout();
        assertThat(rollout.reach(3)).containsExactly(1, 2, 3);
        assertThat(rollout.reach(20)).containsExactly(2, 10, 20);
        assertThat(rollout.gate().maxFraction()).isEqualTo(0.02);
        assertThat(rollout.gate().holdForDuration()).isEqualTo(Duration.ofMinutes(10));
        assertThat(rollout.gate().timeoutDuration()).isEqualTo(Duration.ofMinutes(20));
        assertThat(entry.reload()).extracting(ReloadSpec::wave).containsExactly(1, null);
        RolloutSpec.Gate http = parse("""
                    rollout: { waves: [ 34%, 100% ], gate: { source: http, url: "http://app/errors", max: 0.5%, for: 2m, timeout: 5m } }
                """).rollout().gate();
        assertThat(http.fieldPointer()).isEqualTo("/value");
        assertThat(http.describe()).isEqualTo("GET http://app/errors");
        RolloutSpec.Gate secret = new RolloutSpec.Gate("http", null, "https://u:hunter2@app/errors/{wave}?token=abc",
                null, "1%", null, null);
        assertThat(secret.describe()).isEqualTo("GET https://***@app/errors/{wave}?token=***");
        assertThat(secret.toString()).doesNotContain("hunter2").doesNotContain("abc");
        assertThat(http.timeoutDuration()).isEqualTo(Duration.ofMinutes(5));
        assertThat(parse("").rollout()).isNull();
    }

    @Test
    void refusesEachBadFieldByName() {
        assertThat(problems("immediate", """
                    rollout: { waves: [ 10%, 20%, 100% ], gate: { source: graphite, max: 2 } }
                """)).containsExactly(
                "secrets[app-key].rollout: needs strategy dual-key (the targets not reached yet keep working on the"
                        + " previous version), not immediate",
                "secrets[app-key].rollout.waves[1]: 20% of 3 target(s) reaches 1, no target beyond the wave before;"
                        + " each wave must add a target",
                "secrets[app-key].rollout.gate.source: required, http or prometheus",
                "secrets[app-key].rollout.gate.max: '2' is not a percentage such as 5% or 0.5%");
        assertThat(problems("dual-key", """
                    rollout: { waves: [ 50%, 90% ], gate: { source: http, url: "ftp://x", query: up, for: 10m, timeout: 5m } }
                """)).containsExactly(
                "secrets[app-key].rollout.waves[1]: the last wave must be 100%",
                "secrets[app-key].rollout.gate.url: required for source http: the http(s) url that reports the value",
                "secrets[app-key].rollout.gate.query: not used by source http; remove it",
                "secrets[app-key].rollout.gate.max: required, a percentage such as 2% (the highest value that passes),"
                        + " or error-rate relative to a baseline",
                "secrets[app-key].rollout.gate.timeout: 5m is shorter than for 10m; the gate could never pass");
        assertThat(problems("dual-key", """
                    rollout: { waves: [ ten ] }
                    reload:
                      - { type: http, url: "http://a/reload", wave: 2 }
                """)).containsExactly(
                "secrets[app-key].rollout.waves[0]: 'ten' is not a percentage such as 5% or 0.5%",
                "secrets[app-key].reload[0].wave: 2 is not a wave of rollout.waves (1 to 1)",
                "secrets[app-key].rollout.gate: required: the check each wave must pass before the next starts");
        assertThat(problems("dual-key", """
                    rollout: { waves: [], gate: { source: prometheus, query: up, url: "http://p", max: 2%, for: 2h } }
                """)).containsExactly(
                "secrets[app-key].rollout.waves: required, ascending percentages of the targets ending with 100%,"
                        + " such as [10%, 50%, 100%]",
                "secrets[app-key].rollout.gate.url: not used by source prometheus (its server is"
                        + " rotor.orchestrator.retire-gate.prometheus-url); remove url and field",
                "secrets[app-key].rollout.gate.timeout: a wave's gate may wait at most 110m (for + 10m by default"
                        + " is longer)");
        assertThat(problems("dual-key", """
                    reload:
                      - { type: http, url: "http://a/reload", wave: 1 }
                """)).containsExactly("secrets[app-key].reload[0].wave: only for an entry with rollout");
    }

    @Test
    void readsAGateRelativeToABaselineAndRefusesItsBadFieldsByName() {
        RolloutSpec.Gate gate = parse("""
                    rollout:
                      waves: [ 50%, 100% ]
                      gate: { source: prometheus, query: 'errors{cohort="{wave}"}', error-rate: "<= 2x baseline",
                              baseline-query: 'errors{cohort="old"}', max: 1%, for: 5m }
                """).rollout().gate();
        assertThat(gate.baselineFactor()).hasValue(2.0);
        assertThat(gate.baselineQuery()).isEqualTo("errors{cohort=\"old\"}");
        assertThat(gate.maxFraction()).isEqualTo(0.01);
        assertThat(parse("""
                    rollout:
                      waves: [ 50%, 100% ]
                      gate: { source: http, url: "http://app/errors/{wave}", error-rate: "<=1.5x baseline",
                              baseline-url: "http://app/errors/old" }
                """).rollout().gate().baselineFactor()).hasValue(1.5);

        String at = "secrets[app-key].rollout.gate.";
        assertThat(problems("dual-key", """
                    rollout:
                      waves: [ 50%, 100% ]
                      gate: { source: prometheus, query: up, error-rate: "twice the baseline" }
                """)).containsExactly(at + "error-rate: 'twice the baseline' is not of the form \"<= 2x baseline\"",
                at + "baseline-query: required with error-rate for source prometheus: the same measure of the"
                        + " targets not yet rotated");
        assertThat(problems("dual-key", """
                    rollout:
                      waves: [ 50%, 100% ]
                      gate: { source: http, url: "http://app/e", error-rate: "<= 2x baseline", baseline-query: up }
                """)).containsExactly(at + "baseline-url: required with error-rate for source http: the http(s) url"
                + " that reports the baseline", at + "baseline-query: not used by source http; remove it");
        assertThat(problems("dual-key", """
                    rollout:
                      waves: [ 50%, 100% ]
                      gate: { source: http, url: "http://app/e", baseline-url: "http://app/old", max: 2% }
                """)).containsExactly(at + "error-rate: required with a baseline, e.g. \"<= 2x baseline\"");
    }
}

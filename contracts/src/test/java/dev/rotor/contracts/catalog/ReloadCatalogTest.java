package dev.rotor.contracts.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code reload:} list and the kubernetes and command drains: what is read, and what is refused and how. */
class ReloadCatalogTest {
    private static final String ENTRY = """
            secrets:
              - id: app-key
                kind: signing-key
                strategy: dual-key
                generator: { type: base64, bytes: 32 }
                store: { type: local, path: app/key }
                targets:
                  - { type: env-file, path: /srv/app/.env, variable: APP_KEY }
            """;

    private static SecretEntry parse(String extra) {
        return CatalogLoader.parse(ENTRY + extra, "t").find("app-key").orElseThrow();
    }

    private static List<String> problems(String extra) {
        try {
            CatalogLoader.parse(ENTRY + extra, "t");
        } catch (CatalogException e) {
            return e.problems();
        }
        throw new AssertionError("accepted: " + extra);
    }

    @Test
    void readsEachReloaderTypeWithItsDefaults() {
        SecretEntry e = parse("""
                    reload:
                      - { type: http, url: "http://app:3000/reload", health: { url: "http://app:3000/health/keys", version-field: keyVersion } }
                      - { type: kubernetes, namespace: shop, kind: StatefulSet, selector: "app=api,tier!=batch", timeout: 3m }
                      - { type: command, argv: [ docker, compose, restart, api, worker ], env: { COMPOSE_PROJECT_NAME: breeze } }
                """);
        assertThat(e.reload()).hasSize(3);
        ReloadSpec http = e.reload().get(0);
        assertThat(http.health().versionPointer()).isEqualTo("/keyVersion");
        assertThat(http.timeoutDuration()).isEqualTo(Duration.ofSeconds(30));
        ReloadSpec k8s = e.reload().get(1);
        assertThat(k8s.workloads()).isEqualTo(new WorkloadRef("shop", "StatefulSet", null, "app=api,tier!=batch"));
        assertThat(k8s.timeoutDuration()).isEqualTo(Duration.ofMinutes(3));
        ReloadSpec cmd = e.reload().get(2);
        assertThat(cmd.argv()).containsExactly("docker", "compose", "restart", "api", "worker");
        assertThat(cmd.env()).isEqualTo(Map.of("COMPOSE_PROJECT_NAME", "breeze"));
        assertThat(cmd.timeoutDuration()).isEqualTo(Duration.ofSeconds(60));
        assertThat(parse("").reload()).isEmpty();
    }

    @Test
    void readsKubernetesAndCommandDrains() {
        DrainSpec k8s = parse("    drain: { type: kubernetes, namespace: shop, name: api }\n").drain();
        assertThat(k8s.workloads().kindOrDefault()).isEqualTo("Deployment");
        assertThat(k8s.timeoutDuration()).isEqualTo(Duration.ofMinutes(5));
        DrainSpec cmd = parse("    drain: { type: command, argv: [ /usr/bin/systemctl, stop, tooljet ],"
                + " restore-argv: [ /usr/bin/systemctl, start, tooljet ], timeout: 30s }\n").drain();
        assertThat(cmd.restoreArgv()).containsExactly("/usr/bin/systemctl", "start", "tooljet");
        assertThat(cmd.timeoutDuration()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void refusesReloadersThatCannotWorkNamingTheField() {
        assertThat(problems("""
                    reload:
                      - { type: ssh }
                      - { type: http }
                      - { type: kubernetes, namespace: Shop_1, name: api, selector: "app=api", timeout: 1m }
                      - { type: kubernetes, namespace: shop, kind: DaemonSet, selector: "app api", timeout: 1m }
                      - { type: command, argv: [] }
                      - { type: command, argv: [ /bin/true ], env: { ROTOR_SECRET_ID: x, "1BAD": y } }
                      - { type: http, url: "http://app/reload", argv: [ /bin/true ], timeout: 13m }
                      - { type: http, url: "http://app/reload", health: { version-field: v } }
                """)).containsExactly(
                "secrets[app-key].reload[0].type: required, one of command, http, kubernetes",
                "secrets[app-key].reload[1].url: an http reloader needs the http(s) url of the reload hook",
                "secrets[app-key].reload[2].namespace: required, a Kubernetes namespace name",
                "secrets[app-key].reload[2]: give exactly one of name or selector",
                "secrets[app-key].reload[3].kind: one of Deployment (the default) or StatefulSet",
                "secrets[app-key].reload[3].selector: a label selector such as app=api,tier=web",
                "secrets[app-key].reload[4].argv: required, the program and its arguments as a list (run without a"
                        + " shell)",
                "secrets[app-key].reload[5].env: '1BAD' is not an environment variable name",
                "secrets[app-key].reload[5].env.ROTOR_SECRET_ID: ROTOR_ names are set by Rotor itself (rotation,"
                        + " secret, version)",
                "secrets[app-key].reload[6]: argv and env do not apply to type http",
                "secrets[app-key].reload[6].timeout: between 1s and 12m",
                "secrets[app-key].reload[7].health.url: required, an http(s) url that answers 2xx when the app is up");
    }

    @Test
    void refusesReloadersWhoseTimeoutsExceedOneAttempt() {
        assertThat(problems("""
                    reload:
                      - { type: kubernetes, namespace: shop, name: api, timeout: 10m }
                      - { type: kubernetes, namespace: shop, name: web }
                """)).containsExactly("secrets[app-key].reload: the reloaders' timeouts add up to 15 min, more than"
                + " the 12 min one RELOAD_CONSUMERS attempt allows");
    }

    @Test
    void refusesDrainsThatCannotWork() {
        assertThat(problems("    drain: { type: command, argv: [ /bin/stop ] }\n")).containsExactly(
                "secrets[app-key].drain.restore-argv: required, the program and its arguments as a list (run without"
                        + " a shell)");
        assertThat(problems("    drain: { type: kubernetes, namespace: shop, url: \"http://x\", timeout: 6m }\n"))
                .containsExactly("secrets[app-key].drain: give exactly one of name or selector",
                        "secrets[app-key].drain: url does not apply to type kubernetes",
                        "secrets[app-key].drain.timeout: between 1s and 5m");
        assertThatThrownBy(() -> CatalogLoader.parse(ENTRY + "    drain: { type: ftp }\n", "t"))
                .hasMessageContaining("drain.type: required, one of command, http, kubernetes, none");
    }

    @Test
    void anEnvironmentValueIsNeverRepeatedInAMessage() {
        String problem = String.join("\n", problems("""
                    reload:
                      - { type: http, url: "http://app/reload", env: { TOKEN: "s3cr3t-value" } }
                """));
        assertThat(problem).contains("argv and env do not apply to type http").doesNotContain("s3cr3t-value");
        ReloadSpec spec = new ReloadSpec("command", null, null, null, null, null, List.of("/bin/true"),
                Map.of("TOKEN", "s3cr3t-value"), null, null, null);
        assertThat(spec.toString()).contains("TOKEN").doesNotContain("s3cr3t-value");
    }
}

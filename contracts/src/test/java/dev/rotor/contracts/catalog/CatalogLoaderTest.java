package dev.rotor.contracts.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CatalogLoaderTest {
    private static final String VALID_ENTRY = """
            secrets:
              - id: jwt-secret
                kind: signing-key
                strategy: dual-key
                generator: { type: base64, bytes: 64 }
                store: { type: local, path: app/jwt-secret }
                targets:
                  - { type: env-file, path: /srv/app/.env, variable: JWT_SECRET, previous-variable: JWT_PREVIOUS }
            """;

    @Test
    void readsTheDesignCatalog() throws Exception {
        Catalog catalog = CatalogLoader.load(Path.of(getClass().getResource("/catalog-design-example.yaml").toURI()));

        assertThat(catalog.secrets()).extracting(SecretEntry::id)
                .containsExactly("lockbox-master-key", "session-secret", "jwt-secret", "app-db-password");
        SecretEntry lockbox = catalog.find("lockbox-master-key").orElseThrow();
        assertThat(lockbox.kind()).isEqualTo(SecretKind.ENCRYPTION_KEY);
        assertThat(lockbox.strategy()).isEqualTo(Strategy.OFFLINE_REENCRYPT);
        assertThat(lockbox.reencrypt().columns().get(0).labelColumn()).isEqualTo("value");
        assertThat(lockbox.schedule().cron()).isEqualTo("0 0 2 ? 1,4,7,10 THU#2");
        assertThat(lockbox.graceDuration()).isEqualTo(Duration.ofHours(48));
        assertThat(lockbox.channels()).containsExactly("oncall", "team-chat");
        SecretEntry jwt = catalog.find("jwt-secret").orElseThrow();
        assertThat(jwt.targets().get(0).previousVariable()).isEqualTo("JWT_SECRET_PREVIOUS");
        assertThat(jwt.graceDuration()).isEqualTo(Duration.ofDays(7));
        assertThat(catalog.notifications().channels().get("team-chat").webhookUrlEnv()).isEqualTo("SLACK_WEBHOOK_URL");
        assertThat(catalog.notifications().channels().get("audit-hook").url()).isEqualTo("https://hooks.example/rotor");
    }

    @Test
    void emergencyStrategyDefaultsToImmediateForSigningKeysOnly() {
        Catalog catalog = CatalogLoader.parse(VALID_ENTRY, "test");
        assertThat(catalog.find("jwt-secret").orElseThrow().emergencyStrategy()).isEqualTo(Strategy.IMMEDIATE);
        Catalog credential = CatalogLoader.parse(VALID_ENTRY.replace("kind: signing-key", "kind: encryption-key"), "t");
        assertThat(credential.find("jwt-secret").orElseThrow().emergencyStrategy()).isEqualTo(Strategy.DUAL_KEY);
        assertThat(catalog.find("jwt-secret").orElseThrow().graceDuration()).isEqualTo(SecretEntry.DEFAULT_GRACE);
    }

    @Test
    void readsApprovalsWithTheirDefaultsAndWhenEmergenciesSkipThem() {
        SecretEntry plain = CatalogLoader.parse(VALID_ENTRY + "    approval: {}\n", "t").find("jwt-secret").orElseThrow();
        assertThat(plain.approval().requiredCount()).isEqualTo(1);
        assertThat(plain.approval().roles()).containsExactly("approver");
        assertThat(plain.approval().expiresAfter()).isEqualTo(Duration.ofHours(24));
        assertThat(plain.approvalFor(dev.rotor.contracts.messages.Trigger.MANUAL)).contains(plain.approval());
        assertThat(plain.approvalFor(dev.rotor.contracts.messages.Trigger.EMERGENCY)).isEmpty();

        SecretEntry strict = CatalogLoader.parse(VALID_ENTRY + "    approval: { required: 2, roles: [ approver,"
                + " responder ], expires: 4h, emergency: required }\n", "t").find("jwt-secret").orElseThrow();
        assertThat(strict.approval().requiredCount()).isEqualTo(2);
        assertThat(strict.approvalFor(dev.rotor.contracts.messages.Trigger.EMERGENCY)).contains(strict.approval());
        assertThat(CatalogLoader.parse(VALID_ENTRY, "t").find("jwt-secret").orElseThrow()
                .approvalFor(dev.rotor.contracts.messages.Trigger.MANUAL)).isEmpty();
    }

    @Test
    void refusesApprovalsThatCannotWork() {
        String yaml = VALID_ENTRY + "    approval: { required: 0, roles: [ viewer ], expires: soon, emergency: maybe }\n";
        assertThatThrownBy(() -> CatalogLoader.parse(yaml, "c.yaml"))
                .isInstanceOfSatisfying(CatalogException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "secrets[jwt-secret].approval.required: between 1 and 10 approvals, was 0",
                        "secrets[jwt-secret].approval.roles: 'viewer' cannot approve; one of approver, responder",
                        "secrets[jwt-secret].approval.expires: 'soon' is not a duration such as 90s, 30m, 48h or 7d",
                        "secrets[jwt-secret].approval.emergency: skip or required, was 'maybe'"));
    }

    @Test
    void namesTheEntryAndFieldOfEachProblem() {
        String yaml = VALID_ENTRY.replace("bytes: 64", "bytes: 8").replace("grace", "x")
                + "    grace: soon\n    notify: [ nowhere ]\n    related: [ ghost ]\n";
        assertThatThrownBy(() -> CatalogLoader.parse(yaml, "catalog.yaml"))
                .isInstanceOfSatisfying(CatalogException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "secrets[jwt-secret].generator.bytes: yields 64 bits (8 bytes); at least 128 bits are required for keys",
                        "secrets[jwt-secret].grace: 'soon' is not a duration such as 90s, 30m, 48h or 7d",
                        "secrets[jwt-secret].notify: no channel named 'nowhere' under notify.channels",
                        "secrets[jwt-secret].related: no secret with id 'ghost'"))
                .hasMessageStartingWith("invalid catalog catalog.yaml:");
    }

    @Test
    void refusesUnknownFieldsAndValuesWithTheirPath() {
        assertThatThrownBy(() -> CatalogLoader.parse(VALID_ENTRY.replace("generator:", "genrator:"), "c.yaml"))
                .isInstanceOfSatisfying(CatalogException.class, e -> assertThat(e.problems())
                        .containsExactly("secrets[jwt-secret].genrator: unknown field 'genrator'"));
        assertThatThrownBy(() -> CatalogLoader.parse(VALID_ENTRY.replace("dual-key", "triple-key"), "c.yaml"))
                .isInstanceOfSatisfying(CatalogException.class, e -> assertThat(e.problems())
                        .containsExactly("secrets[jwt-secret].strategy: 'triple-key' is not one of the allowed values"));
    }

    @Test
    void refusesMissingPiecesOfAStrategy() {
        String yaml = VALID_ENTRY.replace("strategy: dual-key", "strategy: offline-reencrypt")
                .replace("kind: signing-key", "kind: encryption-key").replace("type: env-file, path: /srv/app/.env,",
                        "type: env-file,");
        assertThatThrownBy(() -> CatalogLoader.parse(yaml, "c.yaml"))
                .isInstanceOfSatisfying(CatalogException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "secrets[jwt-secret].targets[0].path: required",
                        "secrets[jwt-secret].reencrypt: a re-encrypting strategy needs reencrypt.datasource and "
                                + "reencrypt.columns"));
    }

    @Test
    void refusesUnsafeColumnNamesUnknownCodecsAndDrainsWithoutUrl() {
        String yaml = VALID_ENTRY.replace("strategy: dual-key", "strategy: offline-reencrypt")
                .replace("kind: signing-key", "kind: encryption-key") + """
                    reencrypt:
                      datasource: app
                      codec: lockbox2
                      mode: atomic
                      columns:
                        - { table: "users; DROP TABLE users", id: id, column: secret }
                    drain: { type: http }
                """;
        assertThatThrownBy(() -> CatalogLoader.parse(yaml, "c.yaml"))
                .isInstanceOfSatisfying(CatalogException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "secrets[jwt-secret].reencrypt.codec: one of activerecord, activerecord-deterministic, fernet, "
                                + "lockbox, rotor-v1",
                        "secrets[jwt-secret].reencrypt.columns[0].table: required, a plain SQL identifier (letters, "
                                + "digits, '_', optional schema.)",
                        "secrets[jwt-secret].drain.url: an http drain needs an http(s) url"));
    }

    private static String jsonEntry(String path) {
        return VALID_ENTRY.replace("strategy: dual-key", "strategy: online-reencrypt")
                .replace("kind: signing-key", "kind: encryption-key") + """
                    reencrypt:
                      datasource: app
                      columns:
                        - { table: integrations, id: id, column: settings, label-column: token, json-path: "%s" }
                """.formatted(path);
    }

    @Test
    void readsAJsonPathAsItsStepsAndRefusesOneOutsideTheGrammar() {
        ColumnSpec col = CatalogLoader.parse(jsonEntry("$.credentials.api-keys[2].token"), "c.yaml")
                .find("jwt-secret").orElseThrow().reencrypt().columns().get(0);
        assertThat(col.jsonPath()).isEqualTo("$.credentials.api-keys[2].token");
        assertThat(col.jsonPathSteps()).containsExactly("credentials", "api-keys", "2", "token");
        assertThat(new ColumnSpec("t", "id", "c", null, null).jsonPathSteps()).isEmpty();
        for (String bad : new String[] {"credentials.token", "$.a..b", "$['a']", "$.a.*", "$.a,b", "$"}) {
            assertThatThrownBy(() -> CatalogLoader.parse(jsonEntry(bad), "c.yaml"))
                    .isInstanceOfSatisfying(CatalogException.class, e -> assertThat(e.problems()).containsExactly(
                            "secrets[jwt-secret].reencrypt.columns[0].json-path: '" + bad + "' is not a supported "
                                    + "path: $ followed by .name and [index] steps, e.g. $.credentials.token (names: "
                                    + "letters, digits, '_', '-')"));
        }
    }

    private static String fernetEntry(String generator) {
        return VALID_ENTRY.replace("strategy: dual-key", "strategy: online-reencrypt")
                .replace("kind: signing-key", "kind: encryption-key")
                .replace("{ type: base64, bytes: 64 }", generator) + """
                    reencrypt:
                      datasource: django
                      codec: fernet
                      columns:
                        - { table: accounts, id: id, column: token }
                """;
    }

    @Test
    void acceptsTheFernetCodecWithTheFernetGenerator() {
        SecretEntry e = CatalogLoader.parse(fernetEntry("{ type: fernet }"), "c.yaml").find("jwt-secret").orElseThrow();
        assertThat(e.reencrypt().codec()).isEqualTo("fernet");
        assertThat(e.generator().entropyBits()).isEqualTo(256.0);
    }

    @Test
    void refusesTheFernetCodecWithAGeneratorThatMakesNoFernetKey() {
        assertThatThrownBy(() -> CatalogLoader.parse(fernetEntry("{ type: hex, bytes: 32 }"), "c.yaml"))
                .isInstanceOfSatisfying(CatalogException.class, e -> assertThat(e.problems()).containsExactly(
                        "secrets[jwt-secret].generator.type: reencrypt.codec fernet needs generator type fernet "
                                + "(URL-safe base64 of 32 bytes), not hex"));
        assertThatThrownBy(() -> CatalogLoader.parse(fernetEntry("{ type: fernet, bytes: 16 }"), "c.yaml"))
                .isInstanceOfSatisfying(CatalogException.class, e -> assertThat(e.problems()).containsExactly(
                        "secrets[jwt-secret].generator.bytes: a fernet key is always 32 bytes (44 characters); leave "
                                + "bytes and length out"));
    }

    private static String railsEntry(String codec, String hashDigest) {
        return VALID_ENTRY.replace("strategy: dual-key", "strategy: online-reencrypt")
                .replace("kind: signing-key", "kind: encryption-key")
                .replace("{ type: base64, bytes: 64 }", "{ type: alnum, length: 32 }") + """
                    reencrypt:
                      datasource: rails
                      codec: %s
                """.formatted(codec) + (hashDigest == null ? "" : "      hash-digest: " + hashDigest + "\n") + """
                      columns:
                        - { table: authors, id: id, column: email }
                """;
    }

    @Test
    void acceptsTheActiveRecordCodecsWithTheirHashDigest() {
        SecretEntry e = CatalogLoader.parse(railsEntry("activerecord-deterministic", "sha1"), "c.yaml")
                .find("jwt-secret").orElseThrow();
        assertThat(e.reencrypt().codec()).isEqualTo("activerecord-deterministic");
        assertThat(e.reencrypt().hashDigest()).isEqualTo("sha1");
        assertThat(CatalogLoader.parse(railsEntry("activerecord", null), "c.yaml").find("jwt-secret").orElseThrow()
                .reencrypt().hashDigest()).isNull();
    }

    @Test
    void refusesAHashDigestRailsDoesNotUseOrOnAnotherCodec() {
        assertThatThrownBy(() -> CatalogLoader.parse(railsEntry("activerecord", "md5"), "c.yaml"))
                .isInstanceOfSatisfying(CatalogException.class, e -> assertThat(e.problems()).containsExactly(
                        "secrets[jwt-secret].reencrypt.hash-digest: one of sha1, sha256 (the app's "
                                + "hash_digest_class)"));
        assertThatThrownBy(() -> CatalogLoader.parse(railsEntry("lockbox", "sha256"), "c.yaml"))
                .isInstanceOfSatisfying(CatalogException.class, e -> assertThat(e.problems()).containsExactly(
                        "secrets[jwt-secret].reencrypt.hash-digest: only for codec activerecord or "
                                + "activerecord-deterministic"));
    }

    @Test
    void refusesPasswordsBelowNinetySixBitsWithTheFigure() {
        String alnum = VALID_ENTRY.replace("{ type: base64, bytes: 64 }", "{ type: alnum, length: 16 }");
        assertThatThrownBy(() -> CatalogLoader.parse(alnum, "c.yaml"))
                .isInstanceOfSatisfying(CatalogException.class, e -> assertThat(e.problems()).containsExactly(
                        "secrets[jwt-secret].generator.length: yields 95.3 bits (16 characters from 62); at least 96 "
                                + "bits are required for passwords"));
        String password = VALID_ENTRY.replace("{ type: base64, bytes: 64 }",
                "{ type: password, length: 17, exclude: \"/+=\" }");
        assertThat(CatalogLoader.parse(password, "c.yaml").find("jwt-secret").orElseThrow().generator().entropyBits())
                .isGreaterThan(96);
    }

    @Test
    void refusesDuplicateIdsAndBadYaml() {
        assertThatThrownBy(() -> CatalogLoader.parse(VALID_ENTRY + VALID_ENTRY.substring("secrets:\n".length()), "c"))
                .isInstanceOfSatisfying(CatalogException.class,
                        e -> assertThat(e.problems()).containsExactly("secrets[jwt-secret].id: duplicate id"));
        assertThatThrownBy(() -> CatalogLoader.parse("secrets: [ {", "c")).isInstanceOf(CatalogException.class)
                .hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> CatalogLoader.load(Path.of("/nonexistent/catalog.yaml")))
                .hasMessageContaining("file not found");
    }

    @Test
    void readsEveryChannelTypesSettings() {
        Catalog catalog = CatalogLoader.parse(VALID_ENTRY + """
                notify:
                  channels:
                    oncall: { type: pagerduty, routing-key-env: PD_ROUTING_KEY }
                    teams: { type: teams, webhook-url-env: TEAMS_WORKFLOW_URL }
                    chat: { type: slack, token-env: SLACK_BOT_TOKEN, channel: C0123456789 }
                    mail: { type: email, to: [ oncall@example.com, security@example.com ] }
                    one: { type: email, to: ops@example.com }
                """, "c.yaml");
        var channels = catalog.notifications().channels();
        assertThat(channels.get("oncall").routingKeyEnv()).isEqualTo("PD_ROUTING_KEY");
        assertThat(channels.get("teams").webhookUrlEnv()).isEqualTo("TEAMS_WORKFLOW_URL");
        assertThat(channels.get("chat").tokenEnv()).isEqualTo("SLACK_BOT_TOKEN");
        assertThat(channels.get("chat").channel()).isEqualTo("C0123456789");
        assertThat(channels.get("mail").to()).containsExactly("oncall@example.com", "security@example.com");
        assertThat(channels.get("one").to()).containsExactly("ops@example.com");
    }

    @Test
    void aLiteralChannelSecretIsRefusedWithoutRepeatingIt() {
        String key = "e93facc04764012d7bfb002500d5d1a6";
        assertThatThrownBy(() -> CatalogLoader.parse(VALID_ENTRY + "notify:\n  channels:\n"
                + "    oncall: { type: pagerduty, routing-key: " + key + " }\n", "c.yaml"))
                .isInstanceOfSatisfying(CatalogException.class, e -> assertThat(e.problems()).containsExactly(
                        "notify.channels.oncall.routing-key: refused: a secret never goes in the catalog; name the "
                                + "environment variable that holds it with 'routing-key-env'"))
                .hasMessageNotContaining(key);
        assertThatThrownBy(() -> CatalogLoader.parse(VALID_ENTRY + "notify:\n  channels:\n"
                + "    oncall: { type: pagerduty, routing-key-env: " + key + " }\n"
                + "    chat: { type: slack, token-env: xoxb-1-2-abc, channel: C1 }\n", "c.yaml"))
                .isInstanceOfSatisfying(CatalogException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "notify.channels[oncall].routing-key-env: must name an environment variable (upper-case "
                                + "letters, digits and '_', e.g. PAGERDUTY_ROUTING_KEY), never hold the secret itself",
                        "notify.channels[chat].token-env: must name an environment variable (upper-case "
                                + "letters, digits and '_', e.g. PAGERDUTY_ROUTING_KEY), never hold the secret itself"))
                .hasMessageNotContaining(key).hasMessageNotContaining("xoxb-1-2-abc");
    }

    @Test
    void auditCheckpointsGoToNamedWebhookChannelsOnly() {
        Catalog ok = CatalogLoader.parse(VALID_ENTRY + """
                notify:
                  channels:
                    archive: { type: webhook, url: "https://archive.example/rotor" }
                  audit-checkpoints: [ archive ]
                """, "c.yaml");
        assertThat(ok.notifications().auditCheckpoints()).containsExactly("archive");
        assertThat(CatalogLoader.parse(VALID_ENTRY, "c.yaml").notifications().auditCheckpoints()).isEmpty();
        assertThatThrownBy(() -> CatalogLoader.parse(VALID_ENTRY + """
                notify:
                  channels:
                    team-log: { type: log }
                  audit-checkpoints: [ team-log, nowhere ]
                """, "c.yaml"))
                .isInstanceOfSatisfying(CatalogException.class, e -> assertThat(e.problems()).containsExactly(
                        "notify.audit-checkpoints[0]: 'team-log' is a log channel; checkpoints go to webhook channels"
                                + " only (CloudEvents for an archive)",
                        "notify.audit-checkpoints[1]: 'nowhere' is not a channel in notify.channels"));
    }

    @Test
    void eachChannelTypeNamesWhatItMisses() {
        assertThatThrownBy(() -> CatalogLoader.parse(VALID_ENTRY + """
                notify:
                  channels:
                    oncall: { type: pagerduty }
                    teams: { type: teams }
                    chat: { type: slack, token-env: SLACK_BOT_TOKEN }
                    mail: { type: email, to: [ "not an address" ] }
                """, "c.yaml"))
                .isInstanceOfSatisfying(CatalogException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "notify.channels[oncall].routing-key-env: required for pagerduty: the environment variable "
                                + "holding the routing key",
                        "notify.channels[teams].webhook-url-env: required for teams: the environment variable holding "
                                + "the workflow URL",
                        "notify.channels[chat].channel: required with token-env: the Slack conversation to post to, "
                                + "e.g. C0123456789",
                        "notify.channels[mail].to: 'not an address' is not an e-mail address"));
    }
}

package dev.rotor.contracts.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code reencrypt.backup-check}: what is read, and what is refused and how. */
class BackupCheckCatalogTest {
    private static final String ENTRY = """
            secrets:
              - id: lockbox-master
                kind: encryption-key
                strategy: offline-reencrypt
                generator: { type: hex, bytes: 32 }
                store: { type: local, path: app/lockbox }
                targets:
                  - { type: env-file, path: /srv/app/.env, variable: LOCKBOX_MASTER_KEY }
                reencrypt:
                  datasource: app
                  columns:
                    - { table: credentials, id: id, column: value_ciphertext }
            """;

    private static SecretEntry parse(String check) {
        return CatalogLoader.parse(ENTRY + check, "t").find("lockbox-master").orElseThrow();
    }

    private static List<String> problems(String check) {
        try {
            CatalogLoader.parse(ENTRY + check, "t");
        } catch (CatalogException e) {
            return e.problems();
        }
        throw new AssertionError("accepted: " + check);
    }

    @Test
    void readsASqlCheckAndACommandCheckWithTheirTimeouts() {
        BackupCheckSpec sql = parse("""
                      backup-check:
                        sql: "select last_archived_time > now() - interval '1 hour' from pg_stat_archiver"
                """).reencrypt().backupCheck();
        assertThat(sql.sql()).startsWith("select last_archived_time");
        assertThat(sql.command()).isNull();
        assertThat(sql.timeoutDuration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(sql.describe()).isEqualTo("sql check 'select last_archived_time > now() - interval '1 hour' fro...'");

        BackupCheckSpec command = parse("""
                      backup-check: { command: [ pgbackrest, --stanza=app, check ], timeout: 2m }
                """).reencrypt().backupCheck();
        assertThat(command.command()).containsExactly("pgbackrest", "--stanza=app", "check");
        assertThat(command.timeoutDuration()).isEqualTo(Duration.ofMinutes(2));
        assertThat(command.describe()).isEqualTo("command check 'pgbackrest'");

        assertThat(parse("").reencrypt().backupCheck()).isNull();
    }

    @Test
    void refusesAnAmbiguousEmptyOrUnboundedCheckNamingTheField() {
        String at = "secrets[lockbox-master].reencrypt.backup-check.";
        assertThat(problems("      backup-check: { timeout: 1m }\n")).containsExactly(at + "sql: a backup check needs sql"
                + " (a query whose first column is true) or command (an argv), not neither");
        assertThat(problems("      backup-check: { sql: \"select true\", command: [ \"true\" ] }\n"))
                .containsExactly(at + "sql: a backup check needs sql (a query whose first column is true) or command"
                        + " (an argv), not both");
        assertThat(problems("      backup-check: { sql: \" \" }\n")).containsExactly(at + "sql: must not be blank");
        assertThat(problems("      backup-check: { command: [ pgbackrest, \"\" ] }\n")).containsExactly(at
                + "command: an argv of non-empty strings, program first (run without a shell)");
        assertThat(problems("      backup-check: { command: [ \"true\" ], timeout: 6m }\n")).containsExactly(at
                + "timeout: between 1s and 5m, was 6m");
        assertThat(problems("      backup-check: { command: [ \"true\" ], timeout: soon }\n")).containsExactly(at
                + "timeout: 'soon' is not a duration such as 90s, 30m, 48h or 7d");
        assertThat(problems("      backup-check: { command: [ \"true\" ], retries: 3 }\n")).hasSize(1)
                .allSatisfy(p -> assertThat(p).contains("retries"));
    }
}

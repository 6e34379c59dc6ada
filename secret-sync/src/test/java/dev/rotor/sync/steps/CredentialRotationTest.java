package dev.rotor.sync.steps;

import static dev.rotor.contracts.messages.Direction.COMPENSATE;
import static dev.rotor.contracts.messages.Direction.FORWARD;
import static dev.rotor.contracts.messages.Step.APPLY_CREDENTIAL;
import static dev.rotor.contracts.messages.Step.STAGE_SECRET;
import static dev.rotor.contracts.messages.Step.UPDATE_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.contracts.catalog.CredentialSpec;
import dev.rotor.contracts.catalog.GeneratorSpec;
import dev.rotor.contracts.catalog.SecretKind;
import dev.rotor.contracts.catalog.StoreRef;
import dev.rotor.contracts.catalog.Strategy;
import dev.rotor.contracts.catalog.TargetSpec;
import dev.rotor.contracts.messages.Direction;
import dev.rotor.contracts.messages.Step;
import dev.rotor.contracts.messages.StepCompensated;
import dev.rotor.contracts.messages.StepFailed;
import dev.rotor.contracts.messages.StepRequested;
import dev.rotor.contracts.messages.StepResult;
import dev.rotor.contracts.messages.StepSpec;
import dev.rotor.contracts.messages.StepSucceeded;
import dev.rotor.local.PgServer;
import dev.rotor.sync.credential.CredentialApplier;
import dev.rotor.sync.credential.Datasource;
import dev.rotor.sync.store.LocalKeystoreStore;
import dev.rotor.sync.store.SecretStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** APPLY_CREDENTIAL against the embedded PostgreSQL, with scram-sha-256 enforced for the test roles. */
class CredentialRotationTest {
    @TempDir
    Path dir;
    PgServer pg;
    LocalKeystoreStore store;
    Path env;
    String storePath;

    @BeforeEach
    void setUp() throws Exception {
        pg = ScramPostgres.server();
        store = new LocalKeystoreStore(dir.resolve("home"), Optional.of("pw"));
        storePath = "db/" + UUID.randomUUID();
    }

    @Test
    void theEmbeddedServerReallyChecksPasswordsForTheTestRoles() throws Exception {
        ScramPostgres.createRole("app_probe", "right-password");
        assertThat(ScramPostgres.login("app_probe", "right-password")).isNull();
        assertThat(ScramPostgres.login("app_probe", "wrong-password")).isEqualTo("28P01");
    }

    @Test
    void theNewPasswordWorksTheOldStopsAndTheCompensationBringsItBack() throws Exception {
        ScramPostgres.createRole("app_user", "initial-Passw0rd");
        env = Files.writeString(dir.resolve(".env"), "POSTGRES_PASSWORD=initial-Passw0rd\n");
        StepDispatcher d = dispatcher(CredentialApplier.FRESH_LOGIN);
        UUID r = UUID.randomUUID();
        StepResult staged = d.handle(cmd(r, STAGE_SECRET, FORWARD, null, null, Strategy.CREDENTIAL)).orElseThrow();
        assertThat(staged).isInstanceOfSatisfying(StepSucceeded.class, s -> assertThat(s.fromVersion()).isEqualTo(1));
        String next = store.read(storePath, 2);

        assertThat(d.handle(cmd(r, APPLY_CREDENTIAL, FORWARD, 1, 2, Strategy.CREDENTIAL)).orElseThrow())
                .isInstanceOf(StepSucceeded.class);
        assertThat(ScramPostgres.login("app_user", next)).isNull();
        assertThat(ScramPostgres.login("app_user", "initial-Passw0rd")).isEqualTo("28P01");
        try (var c = ScramPostgres.admin(pg); var s = c.createStatement();
                var rs = s.executeQuery("SELECT rolpassword FROM pg_authid WHERE rolname = 'app_user'")) {
            rs.next();
            assertThat(rs.getString(1)).startsWith("SCRAM-SHA-256$4096:");
        }

        assertThat(d.handle(cmd(r, APPLY_CREDENTIAL, COMPENSATE, 1, 2, Strategy.CREDENTIAL)).orElseThrow())
                .isInstanceOf(StepCompensated.class);
        assertThat(ScramPostgres.login("app_user", "initial-Passw0rd")).isNull();
        assertThat(ScramPostgres.login("app_user", next)).isEqualTo("28P01");
    }

    @Test
    void aFailedVerificationRestoresTheOldPassword() throws Exception {
        ScramPostgres.createRole("app_user2", "initial-Passw0rd");
        env = Files.writeString(dir.resolve(".env"), "POSTGRES_PASSWORD=initial-Passw0rd\n");
        UUID r = UUID.randomUUID();
        dispatcher(CredentialApplier.FRESH_LOGIN).handle(cmd(r, STAGE_SECRET, FORWARD, null, null,
                Strategy.CREDENTIAL, "app_user2"));
        String next = store.read(storePath, 2);
        // A check that refuses the new password, as a pooler or replica that has not caught up would.
        CredentialApplier.LoginCheck refuseNew = (ds, role, password) -> {
            if (password.equals(next)) {
                throw new SQLException("refused", "28P01");
            }
            CredentialApplier.FRESH_LOGIN.login(ds, role, password);
        };
        StepResult result = dispatcher(refuseNew).handle(cmd(r, APPLY_CREDENTIAL, FORWARD, 1, 2,
                Strategy.CREDENTIAL, "app_user2")).orElseThrow();
        assertThat(result).isInstanceOfSatisfying(StepFailed.class, f -> {
            assertThat(f.retryable()).isFalse();
            assertThat(f.error()).isEqualTo("the new password of role app_user2 in datasource appdb did not log in "
                    + "(SQLSTATE 28P01); the old password was restored and logs in").doesNotContain(next);
        });
        assertThat(ScramPostgres.login("app_user2", "initial-Passw0rd")).isNull();
        assertThat(ScramPostgres.login("app_user2", next)).isEqualTo("28P01");
    }

    @Test
    void alternatingUsersChangeTheRoleNotInUseAndTheOtherKeepsWorking() throws Exception {
        ScramPostgres.createRole("app_a", "a-initial-Passw0rd");
        ScramPostgres.createRole("app_b", "b-initial-Passw0rd");
        env = Files.writeString(dir.resolve(".env"), "POSTGRES_USER=app_a\nPOSTGRES_PASSWORD=a-initial-Passw0rd\n");
        StepDispatcher d = dispatcher(CredentialApplier.FRESH_LOGIN);
        UUID first = UUID.randomUUID();
        d.handle(cmd(first, STAGE_SECRET, FORWARD, null, null, Strategy.ALTERNATING_USERS));
        String v2 = store.read(storePath, 2);
        assertThat(d.handle(cmd(first, APPLY_CREDENTIAL, FORWARD, 1, 2, Strategy.ALTERNATING_USERS)).orElseThrow())
                .isInstanceOfSatisfying(StepSucceeded.class, s -> assertThat(s.detail()).contains("role app_b"));
        assertThat(ScramPostgres.login("app_b", v2)).isNull();
        assertThat(ScramPostgres.login("app_b", "b-initial-Passw0rd")).isEqualTo("28P01");
        assertThat(ScramPostgres.login("app_a", "a-initial-Passw0rd")).as("the role in use keeps working").isNull();
        assertThat(d.handle(cmd(first, UPDATE_SECRET, FORWARD, 1, 2, Strategy.ALTERNATING_USERS)).orElseThrow())
                .isInstanceOf(StepSucceeded.class);
        assertThat(activeRole()).contains("app_b");
        assertThat(dev.rotor.sync.target.EnvFile.read(env).get("POSTGRES_PASSWORD")).contains(v2);
        assertThat(dev.rotor.sync.target.EnvFile.read(env).get("POSTGRES_USER")).as("the user switches with it")
                .contains("app_b");
        // Undone, the user goes back with the password; done again, both switch again.
        assertThat(d.handle(cmd(first, UPDATE_SECRET, COMPENSATE, 1, 2, Strategy.ALTERNATING_USERS)).orElseThrow())
                .isInstanceOf(StepCompensated.class);
        assertThat(dev.rotor.sync.target.EnvFile.read(env).get("POSTGRES_USER")).contains("app_a");
        assertThat(dev.rotor.sync.target.EnvFile.read(env).get("POSTGRES_PASSWORD")).contains("a-initial-Passw0rd");
        assertThat(d.handle(cmd(first, UPDATE_SECRET, FORWARD, 1, 2, Strategy.ALTERNATING_USERS)).orElseThrow())
                .isInstanceOf(StepSucceeded.class);
        assertThat(dev.rotor.sync.target.EnvFile.read(env).get("POSTGRES_USER")).contains("app_b");
        assertThat(dev.rotor.sync.target.EnvFile.read(env).get("POSTGRES_PASSWORD")).contains(v2);

        UUID second = UUID.randomUUID();
        d.handle(cmd(second, STAGE_SECRET, FORWARD, 2, null, Strategy.ALTERNATING_USERS));
        String v3 = store.read(storePath, 3);
        assertThat(d.handle(cmd(second, APPLY_CREDENTIAL, FORWARD, 2, 3, Strategy.ALTERNATING_USERS)).orElseThrow())
                .isInstanceOfSatisfying(StepSucceeded.class, s -> assertThat(s.detail()).contains("role app_a"));
        assertThat(ScramPostgres.login("app_a", v3)).isNull();
        assertThat(ScramPostgres.login("app_b", v2)).as("consumers on the old credentials keep working").isNull();

        // Compensation of the second rotation: app_a's earlier password (version 1) comes back.
        assertThat(d.handle(cmd(second, APPLY_CREDENTIAL, COMPENSATE, 2, 3, Strategy.ALTERNATING_USERS))
                .orElseThrow()).isInstanceOf(StepCompensated.class);
        assertThat(ScramPostgres.login("app_a", "a-initial-Passw0rd")).isNull();
        assertThat(activeRole()).contains("app_b");
    }

    private Optional<String> activeRole() {
        return store.update(storePath, ed -> ed.attribute("active-role"));
    }

    private StepDispatcher dispatcher(CredentialApplier.LoginCheck check) {
        Datasource ds = new Datasource("appdb", ScramPostgres.url(pg), pg.user(), pg.password());
        return new StepDispatcher(new SecretStores(store, null),
                name -> "appdb".equals(name) ? Optional.of(ds) : Optional.empty(), new CredentialApplier(check));
    }

    private StepRequested cmd(UUID r, Step step, Direction dir, Integer from, Integer to, Strategy strategy) {
        return cmd(r, step, dir, from, to, strategy, "app_user");
    }

    private StepRequested cmd(UUID r, Step step, Direction dir, Integer from, Integer to, Strategy strategy,
            String role) {
        CredentialSpec credential = strategy == Strategy.ALTERNATING_USERS
                ? new CredentialSpec("appdb", null, List.of("app_a", "app_b")) : new CredentialSpec("appdb", role, null);
        StepSpec spec = new StepSpec("app-db-password", SecretKind.CREDENTIAL, strategy,
                new GeneratorSpec("password", null, 32, "/+=\"'\\$`"), new StoreRef("local", storePath, null),
                List.of(new TargetSpec("env-file", env.toString(), "POSTGRES_PASSWORD", null, null,
                        strategy == Strategy.ALTERNATING_USERS ? "POSTGRES_USER" : null)), credential,
                null, from, to, true, false);
        return new StepRequested(r, step, 1, dir, spec, Instant.now());
    }
}

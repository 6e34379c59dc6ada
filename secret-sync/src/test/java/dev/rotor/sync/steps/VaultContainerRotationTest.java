package dev.rotor.sync.steps;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.contracts.catalog.GeneratorSpec;
import dev.rotor.contracts.catalog.SecretKind;
import dev.rotor.contracts.catalog.StoreRef;
import dev.rotor.contracts.catalog.Strategy;
import dev.rotor.contracts.catalog.TargetSpec;
import dev.rotor.contracts.messages.Direction;
import dev.rotor.contracts.messages.Step;
import dev.rotor.contracts.messages.StepRequested;
import dev.rotor.contracts.messages.StepResult;
import dev.rotor.contracts.messages.StepSpec;
import dev.rotor.contracts.messages.StepSucceeded;
import dev.rotor.sync.credential.CredentialApplier;
import dev.rotor.sync.store.LocalKeystoreStore;
import dev.rotor.sync.store.SecretStores;
import dev.rotor.sync.store.SecretVersion;
import dev.rotor.sync.vault.KvPath;
import dev.rotor.sync.vault.VaultClient;
import dev.rotor.sync.vault.VaultOptions;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.vault.VaultContainer;

/**
 * The same rotation against a real Vault (dev server, KV v2 at {@code secret/}). Runs only where Docker exists; on a
 * machine without Docker it is skipped (not failed) by {@code disabledWithoutDocker}.
 */
@Testcontainers(disabledWithoutDocker = true)
class VaultContainerRotationTest {
    static final String TOKEN = "rotor-test-root";

    @Container
    static final VaultContainer<?> VAULT = new VaultContainer<>(
            System.getProperty("rotor.vault.image", "hashicorp/vault:1.17")).withVaultToken(TOKEN);

    @TempDir
    Path dir;

    @Test
    void stageUpdateRetireAndACasConflictOnARealVault() {
        VaultClient client = new VaultClient(VaultOptions.token(VAULT.getHttpHostAddress(), TOKEN));
        client.write(new KvPath("secret", "apps/tooljet"), Map.of("KEY", "old-value", "OTHER", "kept"), 0);
        SecretStores stores = new SecretStores(new LocalKeystoreStore(dir.resolve("home"), Optional.of("pw")), client);
        StepDispatcher d = new StepDispatcher(stores, n -> Optional.empty(),
                new CredentialApplier(CredentialApplier.FRESH_LOGIN));
        UUID r = UUID.randomUUID();

        assertThat(run(d, r, Step.STAGE_SECRET, null, null)).isInstanceOfSatisfying(StepSucceeded.class, s -> {
            assertThat(s.fromVersion()).isEqualTo(1);
            assertThat(s.toVersion()).isEqualTo(2);
        });
        assertThat(run(d, r, Step.UPDATE_SECRET, 1, 2)).isInstanceOf(StepSucceeded.class);
        String current = client.read(new KvPath("secret", "rotor/key"), 2).orElseThrow().fields().get("value");
        assertThat(client.read(new KvPath("secret", "apps/tooljet"), null).orElseThrow().fields())
                .containsEntry("KEY", current).containsEntry("OTHER", "kept");
        assertThat(run(d, r, Step.RETIRE_PREVIOUS, 1, 2)).isInstanceOf(StepSucceeded.class);
        assertThat(stores.forRef(new StoreRef("vault", "rotor/key", null)).versions("rotor/key"))
                .extracting(SecretVersion::label).extracting(l -> l.wireName()).containsExactly("retired", "current");
        assertThat(client.metadata(new KvPath("secret", "rotor/key")).orElseThrow().destroyed(1)).isTrue();
        // The target's version 1 held the retired value too.
        assertThat(client.metadata(new KvPath("secret", "apps/tooljet")).orElseThrow().destroyed(1)).isTrue();

        // Someone else wrote version 3: a write that means to replace version 2 is refused, not applied.
        client.write(new KvPath("secret", "rotor/key"), Map.of("value", "someone-else"), 2);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.write(new KvPath("secret", "rotor/key"),
                Map.of("value", "ours"), 2)).isInstanceOf(dev.rotor.sync.vault.VaultCasConflictException.class);
        assertThat(client.read(new KvPath("secret", "rotor/key"), null).orElseThrow().fields())
                .containsEntry("value", "someone-else");
    }

    private StepResult run(StepDispatcher d, UUID r, Step step, Integer from, Integer to) {
        return d.handle(new StepRequested(r, step, 1, Direction.FORWARD, spec(from, to), Instant.now())).orElseThrow();
    }

    private static StepSpec spec(Integer from, Integer to) {
        return new StepSpec("tooljet-key", SecretKind.ENCRYPTION_KEY, Strategy.DUAL_KEY,
                new GeneratorSpec("hex", 32, null, null), new StoreRef("vault", "rotor/key", null),
                List.of(new TargetSpec("vault-kv", "secret/apps/tooljet", null, null, "KEY")), null, null, from, to,
                true, false);
    }
}

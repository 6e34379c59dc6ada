package dev.rotor.sync.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotor.sync.store.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AppRole and Kubernetes logins against the fake: one login, then its token on every call; refusals named. */
class VaultAuthTest {
    final FakeVault vault = new FakeVault();
    final KvPath app = new KvPath("secret", "tooljet");

    @AfterEach
    void close() {
        vault.close();
    }

    @Test
    void appRoleLogsInOnceAndUsesTheIssuedToken() {
        vault.put("secret/tooljet", Map.of("K", "v"));
        VaultClient client = new VaultClient(VaultOptions.token(vault.address(), null)
                .withAuth("approle", "role-123", "secret-456"));
        assertThat(client.read(app, null)).get().extracting(VaultClient.KvVersion::version).isEqualTo(1);
        assertThat(client.metadata(app)).get().extracting(KvMetadata::currentVersion).isEqualTo(1L);
        assertThat(vault.requests()).containsExactly("POST /v1/auth/approle/login role_id=role-123",
                "GET /v1/secret/data/tooljet", "GET /v1/secret/metadata/tooljet");
        assertThat(vault.tokens()).containsExactly(null, FakeVault.LOGIN_TOKEN, FakeVault.LOGIN_TOKEN);
    }

    @Test
    void kubernetesSendsTheServiceAccountJwt(@TempDir Path dir) throws Exception {
        Path jwt = Files.writeString(dir.resolve("token"), "eyJhbGciOi.sa.jwt\n");
        VaultClient client = new VaultClient(VaultOptions.token(vault.address(), null)
                .withAuth("kubernetes", "rotor", jwt.toString()));
        assertThat(client.read(app, null)).isEmpty();
        assertThat(vault.requests()).containsExactly("POST /v1/auth/kubernetes/login role=rotor",
                "GET /v1/secret/data/tooljet");
        assertThat(vault.tokens()).containsExactly(null, FakeVault.LOGIN_TOKEN);
    }

    @Test
    void aRefusedLoginIsNotRetryableAndNamesTheLoginPath() {
        vault.failures.put("POST /v1/auth/approle/login", 400);
        VaultClient client = new VaultClient(VaultOptions.token(vault.address(), null)
                .withAuth("approle", "role-123", "wrong"));
        assertThatThrownBy(() -> client.read(app, null)).isInstanceOfSatisfying(StoreException.class, e -> {
            assertThat(e.retryable()).isFalse();
            assertThat(e.getMessage()).startsWith("Vault approle login at auth/approle/login was refused (400)")
                    .doesNotContain("wrong");
        });
    }

    @Test
    void aBadTokenIsNotRetryableAndNamesThePath() {
        VaultClient client = new VaultClient(VaultOptions.token(vault.address(), "not-a-token"));
        assertThatThrownBy(() -> client.metadata(app)).isInstanceOfSatisfying(StoreException.class, e -> {
            assertThat(e.retryable()).isFalse();
            assertThat(e.getMessage()).isEqualTo("permission denied on secret/metadata/tooljet: the token's policy "
                    + "needs read on this path").doesNotContain("not-a-token");
        });
    }
}

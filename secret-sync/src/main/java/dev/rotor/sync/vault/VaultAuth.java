package dev.rotor.sync.vault;

import dev.rotor.sync.store.StoreException;
import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultException;
import io.github.jopenlibs.vault.response.AuthResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Function;

/**
 * Supplies the token: the configured one, or one from an AppRole or Kubernetes login, cached until shortly before
 * its lease ends. The token and the login secrets are never logged nor put in a message.
 */
final class VaultAuth {
    private final VaultOptions options;
    private final Function<String, Vault> driver; // token -> driver (null token for the login call)
    private final Clock clock;
    private String token;
    private Instant expires = Instant.MIN;

    VaultAuth(VaultOptions options, Function<String, Vault> driver, Clock clock) {
        this.options = options;
        this.driver = driver;
        this.clock = clock;
    }

    synchronized String token() {
        if ("token".equals(options.auth())) {
            if (options.token() == null || options.token().isBlank()) {
                throw new StoreException("rotor.sync.vault.token (env ROTOR_SYNC_VAULT_TOKEN) is not set", false);
            }
            return options.token();
        }
        if (token == null || clock.instant().isAfter(expires)) {
            login();
        }
        return token;
    }

    /** Forgets a login token after Vault refused it, so the next call logs in again. */
    synchronized void invalidate() {
        if (!"token".equals(options.auth())) {
            token = null;
        }
    }

    private void login() {
        String method = options.auth();
        String loginPath;
        AuthResponse response;
        try {
            switch (method) {
                case "approle" -> {
                    loginPath = "auth/" + options.approleMount() + "/login";
                    require(options.roleId(), "rotor.sync.vault.approle.role-id");
                    require(options.secretId(), "rotor.sync.vault.approle.secret-id");
                    response = driver.apply(null).auth().loginByAppRole(options.approleMount(), options.roleId(),
                            options.secretId());
                }
                case "kubernetes" -> {
                    loginPath = "auth/" + options.k8sMount() + "/login";
                    require(options.k8sRole(), "rotor.sync.vault.kubernetes.role");
                    response = driver.apply(null).auth().loginByKubernetes(options.k8sRole(), jwt(),
                            "auth/" + options.k8sMount());
                }
                default -> throw new StoreException("rotor.sync.vault.auth '" + method
                        + "' is unknown (token, approle, kubernetes)", false);
            }
        } catch (VaultException e) {
            throw VaultErrors.login(e, method, "auth/" + mountOf(method) + "/login");
        }
        String issued = response.getAuthClientToken();
        if (issued == null || issued.isBlank()) {
            throw new StoreException("Vault " + method + " login at " + loginPath + " returned no client token", false);
        }
        token = issued;
        long lease = response.getAuthLeaseDuration();
        // Renew by logging in again at 80% of the lease; a zero lease (root-like tokens) never expires.
        expires = lease <= 0 ? Instant.MAX : clock.instant().plusSeconds(Math.max(1, lease * 8 / 10));
    }

    private String mountOf(String method) {
        return "approle".equals(method) ? options.approleMount() : options.k8sMount();
    }

    private String jwt() {
        try {
            return Files.readString(Path.of(options.k8sJwtPath()), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new StoreException("cannot read the Kubernetes service-account token at " + options.k8sJwtPath()
                    + " (rotor.sync.vault.kubernetes.jwt-path): " + e.getClass().getSimpleName(), false, e);
        }
    }

    private static void require(String value, String key) {
        if (value == null || value.isBlank()) {
            throw new StoreException(key + " is not set", false);
        }
    }
}

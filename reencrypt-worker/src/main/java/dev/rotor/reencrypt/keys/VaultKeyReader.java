package dev.rotor.reencrypt.keys;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rotor.contracts.catalog.StoreRef;
import dev.rotor.contracts.cipher.ColumnCodec;
import dev.rotor.contracts.cipher.MasterKey;
import dev.rotor.contracts.json.RotorJson;
import io.github.jopenlibs.vault.EnvironmentLoader;
import io.github.jopenlibs.vault.SslConfig;
import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultConfig;
import io.github.jopenlibs.vault.VaultException;
import io.github.jopenlibs.vault.response.AuthResponse;
import io.github.jopenlibs.vault.response.LogicalResponse;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads versions from secret-sync's {@code vault} store on KV v2, through the jopenlibs driver: Rotor version N is
 * Vault version N of {@code <mount>/data/<store.path>}, its value in the configured field (the same mount and field
 * secret-sync writes with). Read-only: the worker's policy needs {@code read} on that path and nothing else.
 *
 * <p>A version Vault answers 404 for (never written, soft-deleted or destroyed when retired) is absent from the
 * result. A login ({@code approle}, {@code kubernetes}) is made afresh for each call: a REENCRYPT step reads once, so
 * no token outlives the step. Tokens, secret ids and values never reach a message; Vault's errors are reduced to
 * the status and the API path.
 */
public final class VaultKeyReader implements KeyMaterialSource {
    private static final EnvironmentLoader NO_ENV = new EnvironmentLoader() {
        @Override
        public String loadVariable(String name) {
            return null; // settings come only from rotor.reencrypt.vault.*, never from VAULT_* by surprise
        }
    };

    private final Optional<VaultKeySettings> settings;

    /** {@code settings} empty when no address is configured: every read then fails naming the setting. */
    public VaultKeyReader(Optional<VaultKeySettings> settings) {
        this.settings = settings;
    }

    @Override
    public Map<Integer, MasterKey> loadAll(StoreRef store, List<Integer> versions, ColumnCodec codec) {
        VaultKeySettings s = settings.orElseThrow(() -> new KeyUnavailableException("secret " + store.path()
                + " is in the vault store but rotor.reencrypt.vault.address (env ROTOR_REENCRYPT_VAULT_ADDRESS)"
                + " is not set", false));
        String path = VaultKeySettings.trimSlashes(store.path());
        if (path.isEmpty() || path.contains("..") || s.mount().isEmpty()) {
            throw new KeyUnavailableException("vault store path '" + store.path() + "' in mount '" + s.mount()
                    + "' is not a KV secret path", false);
        }
        String api = s.mount() + "/data/" + path;
        Vault kv = driver(s, token(s), 2);
        Map<Integer, MasterKey> keys = new LinkedHashMap<>();
        try {
            for (int version : versions) {
                read(kv, s.mount() + "/" + path, api, version).ifPresent(fields -> {
                    String value = fields.path(s.field()).asText(null);
                    if (value == null) {
                        throw new KeyUnavailableException("version " + version + " of secret " + store.path()
                                + " (" + api + ") has no field '" + s.field() + "' (rotor.reencrypt.vault.field)",
                                false);
                    }
                    keys.put(version, key(store, version, value, codec));
                });
            }
            return keys;
        } catch (RuntimeException e) {
            keys.values().forEach(MasterKey::destroy);
            throw e;
        }
    }

    /** The version's fields, or empty when Vault holds no readable such version. */
    private static Optional<JsonNode> read(Vault kv, String logical, String api, int version) {
        LogicalResponse r;
        try {
            r = kv.logical().read(logical, false, version);
        } catch (VaultException e) {
            if (e.getHttpStatusCode() == 404) {
                return Optional.empty();
            }
            throw refused(e.getHttpStatusCode(), api + "?version=" + version, "read", e);
        }
        int status = r.getRestResponse().getStatus();
        if (status == 404) {
            return Optional.empty();
        }
        if (status != 200) {
            throw refused(status, api + "?version=" + version, "read", null);
        }
        try {
            JsonNode data = RotorJson.mapper().readTree(r.getRestResponse().getBody()).path("data").path("data");
            return data.isObject() ? Optional.of(data) : Optional.empty();
        } catch (IOException e) {
            throw KeyUnavailableException.transientFailure("Vault sent a body that is not JSON for " + api, e);
        }
    }

    private static MasterKey key(StoreRef store, int version, String value, ColumnCodec codec) {
        try {
            return codec.readMasterKey(version, value.trim());
        } catch (IllegalArgumentException e) {
            // readMasterKey names lengths and positions only.
            throw new KeyUnavailableException("version " + version + " of secret " + store.path()
                    + " is not a " + codec.name() + " key: " + e.getMessage(), false);
        }
    }

    private static String token(VaultKeySettings s) {
        String method = s.auth() == null ? "token" : s.auth();
        if (method.equals("token")) {
            return require(s.token(), "rotor.reencrypt.vault.token (env ROTOR_REENCRYPT_VAULT_TOKEN)");
        }
        String mount = method.equals("approle") ? s.approleMount() : s.k8sMount();
        AuthResponse response;
        try {
            response = switch (method) {
                case "approle" -> driver(s, null, 1).auth().loginByAppRole(s.approleMount(),
                        require(s.roleId(), "rotor.reencrypt.vault.approle.role-id"),
                        require(s.secretId(), "rotor.reencrypt.vault.approle.secret-id"));
                case "kubernetes" -> driver(s, null, 1).auth().loginByKubernetes(
                        require(s.k8sRole(), "rotor.reencrypt.vault.kubernetes.role"), jwt(s), "auth/" + mount);
                default -> throw new KeyUnavailableException("rotor.reencrypt.vault.auth '" + method
                        + "' is unknown (token, approle, kubernetes)", false);
            };
        } catch (VaultException e) {
            throw refused(e.getHttpStatusCode(), "auth/" + mount + "/login", method + " login", e);
        }
        String issued = response.getAuthClientToken();
        if (issued == null || issued.isBlank()) {
            throw new KeyUnavailableException("Vault " + method + " login at auth/" + mount
                    + "/login returned no client token", false);
        }
        return issued;
    }

    private static String jwt(VaultKeySettings s) {
        try {
            return Files.readString(Path.of(s.k8sJwtPath()), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new KeyUnavailableException("cannot read the Kubernetes service-account token at " + s.k8sJwtPath()
                    + " (rotor.reencrypt.vault.kubernetes.jwt-path): " + e.getClass().getSimpleName(), false, e);
        }
    }

    /**
     * 401/403 and other refusals are final and name what the policy lacks; no answer, 5xx, 412 and 429 are worth a
     * retry. Only the status and the API path: the driver's messages may quote response bodies.
     */
    private static KeyUnavailableException refused(int status, String api, String capability, Throwable cause) {
        if (status == 0 || status >= 500 || status == 412 || status == 429) {
            String what = status == 0 ? "no answer (" + rootCause(cause).getClass().getSimpleName() + ")"
                    : String.valueOf(status);
            return KeyUnavailableException.transientFailure("Vault gave " + what + " for " + api + "; will retry",
                    null);
        }
        if (status == 401 || status == 403) {
            return new KeyUnavailableException("permission denied on " + api + " (" + status
                    + "): reencrypt-worker's Vault credentials need " + capability + " on this path", false);
        }
        return new KeyUnavailableException("Vault refused " + api + " with " + status, false);
    }

    private static Throwable rootCause(Throwable e) {
        Throwable root = e == null ? new IllegalStateException() : e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    private static String require(String value, String key) {
        if (value == null || value.isBlank()) {
            throw new KeyUnavailableException(key + " is not set", false);
        }
        return value;
    }

    private static Vault driver(VaultKeySettings s, String token, int engine) {
        try {
            SslConfig ssl = new SslConfig().verify(true);
            if (s.caCert() != null && !s.caCert().isBlank()) {
                ssl.pemFile(new File(s.caCert()));
            }
            VaultConfig config = new VaultConfig().environmentLoader(NO_ENV).address(s.address())
                    .openTimeout(seconds(s.openTimeout())).readTimeout(seconds(s.readTimeout()))
                    .sslConfig(ssl.build()).engineVersion(engine).prefixPathDepth(s.mount().split("/").length);
            if (token != null) {
                config.token(token);
            }
            if (s.namespace() != null && !s.namespace().isBlank()) {
                config.nameSpace(s.namespace());
            }
            return Vault.create(config.build(), engine).withRetries(0, 0);
        } catch (VaultException e) {
            throw new KeyUnavailableException("invalid Vault settings for " + s.address()
                    + " (rotor.reencrypt.vault.*): " + rootCause(e).getClass().getSimpleName(), false);
        }
    }

    private static int seconds(Duration d) {
        return (int) Math.max(1, (d.toMillis() + 999) / 1000);
    }
}

package dev.rotor.sync.vault;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rotor.contracts.json.RotorJson;
import dev.rotor.sync.store.StoreException;
import io.github.jopenlibs.vault.EnvironmentLoader;
import io.github.jopenlibs.vault.SslConfig;
import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultConfig;
import io.github.jopenlibs.vault.VaultException;
import io.github.jopenlibs.vault.api.WriteOptions;
import io.github.jopenlibs.vault.json.Json;
import io.github.jopenlibs.vault.json.JsonObject;
import io.github.jopenlibs.vault.response.LogicalResponse;
import java.io.File;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The KV v2 calls Rotor makes, through the jopenlibs driver (no HTTP of our own). Data reads, {@code cas} writes,
 * soft deletes and destroys use the driver's KV v2 operations; {@code metadata} reads and writes go through its
 * raw logical calls, since the driver has no custom-metadata API. Every failure becomes a {@link StoreException}
 * via {@link VaultErrors}; the driver's own retries are off, the saga retries.
 */
public class VaultClient {
    private static final EnvironmentLoader NO_ENV = new EnvironmentLoader() {
        @Override
        public String loadVariable(String name) {
            return null; // settings come only from rotor.sync.vault.*, never from VAULT_* by surprise
        }
    };

    private final VaultOptions options;
    private final SslConfig ssl;
    private final VaultAuth auth;

    public VaultClient(VaultOptions options) {
        this.options = options;
        this.ssl = ssl(options);
        this.auth = new VaultAuth(options, token -> driver(token, 2, 1), Clock.systemUTC());
    }

    public VaultOptions options() {
        return options;
    }

    /** The newest version of every field, or empty when the secret does not exist (or its newest is deleted). */
    public Optional<KvVersion> read(KvPath p, Integer version) {
        LogicalResponse r = call(p.data(), "read", () -> version == null
                ? kv(p).logical().read(p.logical())
                : kv(p).logical().read(p.logical(), true, version));
        int status = r.getRestResponse().getStatus();
        if (status == 404) {
            return Optional.empty();
        }
        check(status, r, p.data(), "read");
        JsonNode data = body(r).path("data");
        Map<String, String> fields = new LinkedHashMap<>();
        data.path("data").fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue().asText()));
        return Optional.of(new KvVersion(data.path("metadata").path("version").asInt(), fields));
    }

    /** Writes a new version only if the newest is {@code cas} (0: only if the secret does not exist yet). */
    public int write(KvPath p, Map<String, String> fields, long cas) {
        LogicalResponse r = call(p.data(), "create/update", () -> kv(p).logical().write(p.logical(),
                new LinkedHashMap<>(fields), null, new WriteOptions().checkAndSet(cas).build()));
        int status = r.getRestResponse().getStatus();
        if (VaultErrors.isCasMismatch(status, r.getRestResponse().getBody())) {
            throw new VaultCasConflictException(p, cas);
        }
        check(status, r, p.data(), "create/update");
        return body(r).path("data").path("version").asInt();
    }

    public Optional<KvMetadata> metadata(KvPath p) {
        LogicalResponse r = call(p.metadata(), "read", () -> raw(p).logical().read(p.metadata()));
        int status = r.getRestResponse().getStatus();
        if (status == 404) {
            return Optional.empty();
        }
        check(status, r, p.metadata(), "read");
        return Optional.of(KvMetadata.parse(body(r).path("data")));
    }

    /** Replaces the secret's {@code custom_metadata} (KV v2 has no cas here; callers serialise per path). */
    public void writeCustomMetadata(KvPath p, Map<String, String> custom) {
        JsonObject json = Json.object();
        custom.forEach(json::add);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("custom_metadata", json);
        LogicalResponse r = call(p.metadata(), "create/update", () -> raw(p).logical().write(p.metadata(), body));
        check(r.getRestResponse().getStatus(), r, p.metadata(), "create/update");
    }

    /** Destroys these versions' material for good, in one call; their metadata stays. */
    public void destroy(KvPath p, int... versions) {
        call(p.destroy(), "update", () -> kv(p).logical().destroy(p.logical(), versions.clone()));
    }

    /** Soft-deletes one version: unreadable, but {@link #undelete} brings it back. */
    public void delete(KvPath p, int version) {
        call(p.delete(), "update", () -> kv(p).logical().delete(p.logical(), new int[] {version}));
    }

    public void undelete(KvPath p, int version) {
        call(p.undelete(), "update", () -> kv(p).logical().unDelete(p.logical(), new int[] {version}));
    }

    private interface Call {
        LogicalResponse run() throws VaultException;
    }

    private LogicalResponse call(String apiPath, String capability, Call call) {
        try {
            LogicalResponse r = call.run();
            if (r.getRestResponse().getStatus() == 403 && !"token".equals(options.auth())) {
                auth.invalidate(); // a login token may have expired early: one fresh login, then the verdict
                r = call.run();
            }
            return r;
        } catch (VaultException e) {
            if (e.getHttpStatusCode() == 403) {
                auth.invalidate();
            }
            throw VaultErrors.of(e, apiPath, capability);
        }
    }

    private static void check(int status, LogicalResponse r, String apiPath, String capability) {
        if (status != 200 && status != 204) {
            throw VaultErrors.of(status, r.getRestResponse().getBody(), apiPath, capability);
        }
    }

    private static JsonNode body(LogicalResponse r) {
        try {
            return RotorJson.mapper().readTree(r.getRestResponse().getBody());
        } catch (IOException e) {
            throw new StoreException("Vault sent a body that is not JSON", true, e);
        }
    }

    private Vault kv(KvPath p) {
        return driver(auth.token(), 2, p.mountDepth());
    }

    private Vault raw(KvPath p) {
        return driver(auth.token(), 1, p.mountDepth());
    }

    private Vault driver(String token, int engine, int depth) {
        try {
            VaultConfig config = new VaultConfig().environmentLoader(NO_ENV).address(options.address())
                    .openTimeout(seconds(options.openTimeout())).readTimeout(seconds(options.readTimeout()))
                    .sslConfig(ssl).engineVersion(engine).prefixPathDepth(depth);
            if (token != null) {
                config.token(token);
            }
            if (options.namespace() != null && !options.namespace().isBlank()) {
                config.nameSpace(options.namespace());
            }
            return Vault.create(config.build(), engine).withRetries(0, 0);
        } catch (VaultException e) {
            throw new StoreException("invalid Vault settings for " + options.address() + ": " + e.getMessage(), false);
        }
    }

    private static int seconds(Duration d) {
        return (int) Math.max(1, (d.toMillis() + 999) / 1000);
    }

    private static SslConfig ssl(VaultOptions options) {
        try {
            SslConfig ssl = new SslConfig().verify(true);
            if (options.caCertPem() != null && !options.caCertPem().isBlank()) {
                ssl.pemFile(new File(options.caCertPem()));
            }
            return ssl.build();
        } catch (VaultException e) {
            throw new StoreException("cannot load the Vault CA certificate " + options.caCertPem()
                    + " (rotor.sync.vault.ca-cert): " + e.getMessage(), false);
        }
    }

    /** One version of a KV secret; {@code fields} are material and never logged. */
    public record KvVersion(int version, Map<String, String> fields) {
        @Override
        public String toString() {
            return "KvVersion[" + version + ", fields=" + fields.keySet() + "]";
        }
    }
}

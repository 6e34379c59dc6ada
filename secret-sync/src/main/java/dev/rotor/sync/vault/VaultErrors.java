package dev.rotor.sync.vault;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rotor.contracts.json.RotorJson;
import dev.rotor.sync.store.StoreException;
import io.github.jopenlibs.vault.VaultException;
import java.nio.charset.StandardCharsets;

/**
 * Turns Vault answers into {@link StoreException}s with the retry decision made once: 403 and refused logins are
 * not retryable and name the path and capability the policy lacks; 5xx, 412, 429 and no answer at all (timeouts)
 * are retryable. Messages never carry request bodies: only Vault's own {@code errors}, which hold no material.
 */
final class VaultErrors {
    private VaultErrors() {
    }

    /** {@code capability} as a policy writes it, e.g. {@code create/update} or {@code read}. */
    static StoreException of(int status, byte[] body, String apiPath, String capability) {
        if (status == 403) {
            return new StoreException("permission denied on " + apiPath + ": the token's policy needs " + capability
                    + " on this path", false);
        }
        if (status == 401) {
            return new StoreException("Vault refused the credentials for " + apiPath + " (401): check the token",
                    false);
        }
        if (status >= 500 || status == 412 || status == 429) {
            return new StoreException("Vault answered " + status + " for " + apiPath + " (will retry)" + errors(body),
                    true);
        }
        return new StoreException("Vault refused " + apiPath + " with " + status + errors(body), false);
    }

    static StoreException of(VaultException e, String apiPath, String capability) {
        int status = e.getHttpStatusCode();
        if (status == 0) {
            // No HTTP answer: connection refused, TLS trouble or a timeout. Only the class: causes may quote URLs.
            return new StoreException("Vault did not answer for " + apiPath + " (" + rootCause(e).getClass().getSimpleName()
                    + "); will retry", true, e);
        }
        return of(status, null, apiPath, capability);
    }

    static StoreException login(VaultException e, String method, String loginPath) {
        int status = e.getHttpStatusCode();
        if (status == 0 || status >= 500 || status == 429) {
            return new StoreException("Vault " + method + " login at " + loginPath + " failed with "
                    + (status == 0 ? "no answer (" + rootCause(e).getClass().getSimpleName() + ")"
                    : String.valueOf(status)) + "; will retry", true, e);
        }
        return new StoreException("Vault " + method + " login at " + loginPath + " was refused (" + status
                + "): check the " + (method.equals("approle") ? "role-id and secret-id" : "role and service-account JWT")
                + " and that the auth method is enabled at that path", false);
    }

    private static Throwable rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    /** True when a 400 is KV v2's check-and-set refusal. */
    static boolean isCasMismatch(int status, byte[] body) {
        return status == 400 && errors(body).contains("check-and-set");
    }

    private static String errors(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        try {
            JsonNode errors = RotorJson.mapper().readTree(new String(body, StandardCharsets.UTF_8)).path("errors");
            return errors.isArray() && !errors.isEmpty() ? ": " + String.join("; ",
                    RotorJson.mapper().convertValue(errors, String[].class)) : "";
        } catch (Exception e) {
            return "";
        }
    }
}

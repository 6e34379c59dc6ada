package dev.rotor.reencrypt.keys;

import java.time.Duration;

/**
 * How {@link VaultKeyReader} reaches Vault, as plain data (built from {@code rotor.reencrypt.vault.*}, or directly in
 * tests). {@link #toString()} leaves out the token and the AppRole secret id.
 */
public record VaultKeySettings(String address, String auth, String token, String roleId, String secretId,
        String approleMount, String k8sRole, String k8sJwtPath, String k8sMount, String caCert, String namespace,
        String mount, String field, Duration openTimeout, Duration readTimeout) {

    public VaultKeySettings {
        address = address.endsWith("/") ? address.substring(0, address.length() - 1) : address;
        mount = trimSlashes(mount);
    }

    /** Token auth with the defaults of {@code rotor.reencrypt.vault.*}. */
    public static VaultKeySettings token(String address, String token) {
        return new VaultKeySettings(address, "token", token, null, null, "approle", null, null, "kubernetes", null,
                null, "secret", "value", Duration.ofSeconds(5), Duration.ofSeconds(10));
    }

    /** AppRole auth, other settings as {@code this}. */
    public VaultKeySettings withAppRole(String roleId, String secretId) {
        return new VaultKeySettings(address, "approle", null, roleId, secretId, approleMount, k8sRole, k8sJwtPath,
                k8sMount, caCert, namespace, mount, field, openTimeout, readTimeout);
    }

    static String trimSlashes(String s) {
        String t = s == null ? "" : s.strip();
        while (t.startsWith("/")) {
            t = t.substring(1);
        }
        while (t.endsWith("/")) {
            t = t.substring(0, t.length() - 1);
        }
        return t;
    }

    @Override
    public String toString() {
        return "VaultKeySettings[address=" + address + ", auth=" + auth + ", namespace=" + namespace + ", mount="
                + mount + ", field=" + field + "]";
    }
}

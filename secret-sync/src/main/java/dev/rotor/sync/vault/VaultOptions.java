package dev.rotor.sync.vault;

import java.time.Duration;
import java.util.Optional;

/**
 * The resolved Vault settings as plain data, so clients can be built from config or directly in tests. The
 * {@link #toString()} leaves out the token and secret id.
 */
public record VaultOptions(String address, String auth, String token, String roleId, String secretId,
        String approleMount, String k8sRole, String k8sJwtPath, String k8sMount, String caCertPem, String namespace,
        String mount, String field, Duration openTimeout, Duration readTimeout, Duration archiveRetention) {

    public static Optional<VaultOptions> from(VaultSettings s) {
        return s.address().filter(a -> !a.isBlank()).map(address -> new VaultOptions(strip(address), s.auth(),
                s.token().orElse(null), s.approle().roleId().orElse(null), s.approle().secretId().orElse(null),
                s.approle().mount(), s.kubernetes().role().orElse(null), s.kubernetes().jwtPath(),
                s.kubernetes().mount(), s.caCert().orElse(null), s.namespace().orElse(null), s.mount(), s.field(),
                s.openTimeout(), s.readTimeout(), s.archiveRetention()));
    }

    /** Token auth with the defaults of {@link VaultSettings}. */
    public static VaultOptions token(String address, String token) {
        return new VaultOptions(strip(address), "token", token, null, null, "approle", null, null, "kubernetes",
                null, null, "secret", "value", Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofDays(365));
    }

    public VaultOptions withAuth(String method, String roleOrRoleId, String secretIdOrJwtPath) {
        return "approle".equals(method)
                ? new VaultOptions(address, method, null, roleOrRoleId, secretIdOrJwtPath, approleMount, k8sRole,
                        k8sJwtPath, k8sMount, caCertPem, namespace, mount, field, openTimeout, readTimeout,
                        archiveRetention)
                : new VaultOptions(address, method, null, roleId, secretId, approleMount, roleOrRoleId,
                        secretIdOrJwtPath, k8sMount, caCertPem, namespace, mount, field, openTimeout, readTimeout,
                        archiveRetention);
    }

    public VaultOptions withTimeouts(Duration open, Duration read) {
        return new VaultOptions(address, auth, token, roleId, secretId, approleMount, k8sRole, k8sJwtPath, k8sMount,
                caCertPem, namespace, mount, field, open, read, archiveRetention);
    }

    private static String strip(String address) {
        return address.endsWith("/") ? address.substring(0, address.length() - 1) : address;
    }

    @Override
    public String toString() {
        return "VaultOptions[address=" + address + ", auth=" + auth + ", namespace=" + namespace + ", mount=" + mount
                + "]";
    }
}

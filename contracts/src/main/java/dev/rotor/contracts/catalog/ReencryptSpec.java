package dev.rotor.contracts.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Set;

/**
 * The data encrypted under the secret.
 *
 * @param datasource a datasource named in reencrypt-worker's config
 * @param codec {@code lockbox}, {@code rotor-v1}, {@code fernet}, {@code activerecord} or {@code
 *     activerecord-deterministic}
 * @param mode {@code atomic} or {@code online}
 * @param hashDigest for the {@code activerecord} codecs only: the app's {@code hash_digest_class}, {@code sha256}
 *     (Rails 7.1's defaults; the default here) or {@code sha1} (Rails 7.0)
 * @param backupCheck the check that must pass before the rotation touches anything, or null
 */
public record ReencryptSpec(String datasource, String codec, String mode, List<ColumnSpec> columns,
        @JsonProperty("hash-digest") String hashDigest,
        @JsonProperty("backup-check") BackupCheckSpec backupCheck) {
    public ReencryptSpec(String datasource, String codec, String mode, List<ColumnSpec> columns) {
        this(datasource, codec, mode, columns, null, null);
    }

    public ReencryptSpec(String datasource, String codec, String mode, List<ColumnSpec> columns, String hashDigest) {
        this(datasource, codec, mode, columns, hashDigest, null);
    }

    /**
     * The store types reencrypt-worker reads key versions from. The catalog refuses a {@code reencrypt} section on a
     * secret in any other store, so a rotation never reaches a REENCRYPT step its worker cannot perform.
     */
    public static final Set<String> READABLE_STORES = Set.of("local", "vault");
}

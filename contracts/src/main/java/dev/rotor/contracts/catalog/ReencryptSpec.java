package dev.rotor.contracts.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The data encrypted under the secret.
 *
 * @param datasource a datasource named in reencrypt-worker's config
 * @param codec {@code lockbox} or {@code rotor-v1}
 * @param mode {@code atomic} or {@code online}
 * @param backupCheck the check that must pass before the rotation touches anything, or null
 */
public record ReencryptSpec(String datasource, String codec, String mode, List<ColumnSpec> columns,
        @JsonProperty("backup-check") BackupCheckSpec backupCheck) {
    public ReencryptSpec(String datasource, String codec, String mode, List<ColumnSpec> columns) {
        this(datasource, codec, mode, columns, null);
    }
}

package dev.rotor.contracts.catalog;

import java.util.List;

/**
 * The data encrypted under the secret.
 *
 * @param datasource a datasource named in reencrypt-worker's config
 * @param codec {@code lockbox} or {@code rotor-v1}
 * @param mode {@code atomic} or {@code online}
 */
public record ReencryptSpec(String datasource, String codec, String mode, List<ColumnSpec> columns) {
}

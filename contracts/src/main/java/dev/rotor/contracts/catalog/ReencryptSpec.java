package dev.rotor.contracts.catalog;

import java.util.List;
import java.util.Set;

/**
 * The data encrypted under the secret.
 *
 * @param datasource a datasource named in reencrypt-worker's config
 * @param codec {@code lockbox} or {@code rotor-v1}
 * @param mode {@code atomic} or {@code online}
 */
public record ReencryptSpec(String datasource, String codec, String mode, List<ColumnSpec> columns) {

    /**
     * The store types reencrypt-worker reads key versions from. The catalog refuses a {@code reencrypt} section on a
     * secret in any other store, so a rotation never reaches a REENCRYPT step its worker cannot perform.
     */
    public static final Set<String> READABLE_STORES = Set.of("local", "vault");
}

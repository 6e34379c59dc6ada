package dev.rotor.contracts.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The data encrypted under the secret.
 *
 * @param datasource a datasource named in reencrypt-worker's config
 * @param codec {@code lockbox}, {@code rotor-v1}, {@code fernet}, {@code activerecord} or {@code
 *     activerecord-deterministic}
 * @param mode {@code atomic} or {@code online}
 * @param hashDigest for the {@code activerecord} codecs only: the app's {@code hash_digest_class}, {@code sha256}
 *     (Rails 7.1's defaults; the default here) or {@code sha1} (Rails 7.0)
 */
public record ReencryptSpec(String datasource, String codec, String mode, List<ColumnSpec> columns,
        @JsonProperty("hash-digest") String hashDigest) {
}

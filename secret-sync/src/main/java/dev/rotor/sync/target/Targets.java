package dev.rotor.sync.target;

import dev.rotor.contracts.catalog.TargetSpec;
import dev.rotor.sync.vault.VaultClient;
import dev.rotor.sync.vault.VaultKvTarget;
import java.util.List;
import java.util.Optional;

/** Builds an entry's targets; an unknown type or a missing field is refused before anything is changed. */
public final class Targets {
    private Targets() {
    }

    public static List<SecretTarget> of(List<TargetSpec> specs, Optional<VaultClient> vault) {
        return specs.stream().map(spec -> of(spec, vault)).toList();
    }

    static SecretTarget of(TargetSpec spec, Optional<VaultClient> vault) {
        String type = spec.type() == null ? "" : spec.type();
        return switch (type) {
            case EnvFileTarget.TYPE -> EnvFileTarget.of(spec);
            case VaultKvTarget.TYPE -> VaultKvTarget.of(spec, vault.orElseThrow(() -> new TargetException(
                    "target type 'vault-kv' needs rotor.sync.vault.address (env ROTOR_SYNC_VAULT_ADDRESS)", false,
                    null)));
            default -> throw new TargetException("target type '" + type + "' is not supported (env-file, vault-kv)",
                    false, null);
        };
    }
}

package dev.rotor.sync.vault;

import dev.rotor.contracts.catalog.TargetSpec;
import dev.rotor.sync.target.LineChange;
import dev.rotor.sync.target.SecretTarget;
import dev.rotor.sync.target.TargetException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code vault-kv} target: one {@code field} of a KV v2 secret that apps read. Every other field is kept: a
 * write reads the newest version and writes the next one with {@code cas} = that version, so an app team's
 * concurrent edit is detected ({@link VaultCasConflictException}) instead of lost. No previous field: the catalog
 * has none for this target type.
 */
public final class VaultKvTarget implements SecretTarget {
    public static final String TYPE = "vault-kv";

    private final VaultClient client;
    private final KvPath kv;
    private final String field;

    VaultKvTarget(VaultClient client, KvPath kv, String field) {
        this.client = client;
        this.kv = kv;
        this.field = field;
    }

    public static VaultKvTarget of(TargetSpec spec, VaultClient client) {
        if (spec.path() == null || spec.field() == null || spec.field().isBlank()) {
            throw new TargetException("vault-kv target needs path and field", false, null);
        }
        try {
            return new VaultKvTarget(client, KvPath.ofTarget(spec.path(), client.options().mount()), spec.field());
        } catch (IllegalArgumentException e) {
            throw new TargetException(e.getMessage(), false, e);
        }
    }

    @Override
    public String describe() {
        return "field " + field + " of " + kv.data();
    }

    @Override
    public boolean hasPrevious() {
        return false;
    }

    @Override
    public Optional<String> currentValue() {
        return client.read(kv, null).map(v -> v.fields().get(field));
    }

    @Override
    public Optional<String> previousValue() {
        return Optional.empty();
    }

    /**
     * Destroys every earlier version whose field still holds {@code old} (the newest is the live value and stays).
     * Other fields of those versions go too; the newest version carries them on. Soft-deleted versions cannot be
     * read, so they are left as they are.
     */
    @Override
    public void destroyEarlier(String old) {
        if (old == null || old.isEmpty()) {
            return;
        }
        KvMetadata meta = client.metadata(kv).orElse(null);
        if (meta == null) {
            return;
        }
        int[] holding = meta.versions().entrySet().stream()
                .filter(e -> e.getKey() < meta.currentVersion() && !e.getValue().deleted() && !e.getValue().destroyed())
                .filter(e -> client.read(kv, e.getKey()).map(v -> old.equals(v.fields().get(field))).orElse(false))
                .mapToInt(java.util.Map.Entry::getKey).toArray();
        if (holding.length > 0) {
            client.destroy(kv, holding);
        }
    }

    @Override
    public void write(LineChange current, LineChange previous) {
        Optional<VaultClient.KvVersion> newest = client.read(kv, null);
        Map<String, String> fields = new LinkedHashMap<>(newest.map(VaultClient.KvVersion::fields).orElse(Map.of()));
        String before = fields.get(field);
        switch (current.kind()) {
            case SET -> fields.put(field, current.value());
            case CLEAR -> fields.computeIfPresent(field, (k, v) -> "");
            case REMOVE -> fields.remove(field);
            case KEEP -> { }
        }
        if (newest.isPresent() && Objects.equals(before, fields.get(field))) {
            return; // already there: a replay writes no new version
        }
        if (newest.isEmpty() && !fields.containsKey(field)) {
            return;
        }
        // The newest version may be deleted (read 404) while the secret exists: cas must name its number anyway.
        long cas = newest.map(v -> (long) v.version())
                .orElseGet(() -> client.metadata(kv).map(KvMetadata::currentVersion).orElse(0L));
        client.write(kv, fields, cas);
    }
}

package dev.rotor.sync.vault;

import dev.rotor.sync.concurrent.KeyedLocks;
import dev.rotor.sync.store.SecretStore;
import dev.rotor.sync.store.SecretVersion;
import dev.rotor.sync.store.StoreException;
import dev.rotor.sync.store.VersionEditor;
import java.util.List;
import java.util.function.Function;

/**
 * The {@code vault} store on KV v2: Rotor version N is Vault version N of {@code <mount>/data/<path>}, its value in
 * the configured field. Labels live in the secret's {@code custom_metadata} ({@link VaultLabels}). Within this
 * process one lock per path serialises changes; across writers the {@code cas} on every new version detects anyone
 * else ({@link VaultCasConflictException}), and the orchestrator runs one rotation per secret at a time.
 */
public class VaultKvStore implements SecretStore {
    private final VaultClient client;
    private final boolean archive;
    private final SecretStore undo;
    private final KeyedLocks<String> locks;

    /**
     * @param archive the catalog's {@code store.archive}: keep retired versions until the retention ends
     * @param undo where undo copies of target values go (the local keystore); {@code locks} shared per client
     */
    public VaultKvStore(VaultClient client, boolean archive, SecretStore undo, KeyedLocks<String> locks) {
        this.client = client;
        this.archive = archive;
        this.undo = undo;
        this.locks = locks;
    }

    public static KeyedLocks<String> newLocks() {
        return new KeyedLocks<>();
    }

    @Override
    public String type() {
        return "vault";
    }

    @Override
    public List<SecretVersion> versions(String path) {
        return client.metadata(kv(path)).map(m -> VaultLabels.parse(m.custom(), kv(path).metadata()).views())
                .orElse(List.of());
    }

    @Override
    public String read(String path, int version) {
        return update(path, ed -> ed.value(version));
    }

    @Override
    public <R> R update(String path, Function<VersionEditor, R> change) {
        KvPath kv = kv(path);
        return locks.withLock(kv.toString(), () -> {
            VaultEditor editor = new VaultEditor(client, kv, archive,
                    client.metadata(kv).orElseGet(KvMetadata::empty), undo);
            try {
                R result = change.apply(editor);
                editor.commit();
                return result;
            } catch (RuntimeException e) {
                editor.discardUnlabelled(e); // a version left live and unlabelled would be material nobody tracks
                throw e;
            }
        });
    }

    @Override
    public void check() {
        // Reachability is checked per call; a readiness probe must not page because Vault blinked.
    }

    static String field(VaultClient client, KvPath kv, int version) {
        String field = client.options().field();
        return client.read(kv, version).map(v -> v.fields().get(field)).orElseThrow(() -> new StoreException(
                "version " + version + " of " + kv.data() + " has no field '" + field + "'", false));
    }

    private KvPath kv(String path) {
        return new KvPath(client.options().mount(), path);
    }
}

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
 * the configured field. Labels live in the secret's {@code custom_metadata} ({@link VaultLabels}), undo copies in
 * {@code <mount>/data/rotor-undo/<path>} ({@link VaultUndo}).
 *
 * <p>Several secret-sync replicas may share this store: everything a step de-duplicates on is state in Vault (the
 * version records' {@code createdBy}, labels and undo copies), never a replica's memory or disk, so a command that a
 * rebalance or a crash hands to another replica finds what the first one did. Within this process one lock per path
 * serialises changes, and across replicas a lease in Vault does ({@link VaultLease}): a rotation's commands arrive in
 * order on one partition, but a retirement the next rotation made due may run beside it on another replica. The
 * {@code cas} on every new version detects any other writer
 * ({@link VaultCasConflictException}), and a replica that died between a new version and its labels leaves a mark
 * that the next change clears, destroying the unlabelled version ({@link VaultEditor#recoverInterruptedWrite}).
 */
public class VaultKvStore implements SecretStore {
    private final VaultClient client;
    private final boolean archive;
    private final KeyedLocks<String> locks;
    private final VaultLease lease;

    /**
     * @param archive the catalog's {@code store.archive}: keep retired versions until the retention ends
     * @param locks shared per client, as is {@code lease}
     */
    public VaultKvStore(VaultClient client, boolean archive, KeyedLocks<String> locks, VaultLease lease) {
        this.client = client;
        this.archive = archive;
        this.locks = locks;
        this.lease = lease;
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
            VaultLease.Held held = lease.acquire(kv); // across replicas, as the lock above within this process
            try {
                VaultEditor editor = new VaultEditor(client, kv, archive,
                        client.metadata(kv).orElseGet(KvMetadata::empty));
                try {
                    editor.recoverInterruptedWrite();
                    R result = change.apply(editor);
                    held.checkValid(java.time.Clock.systemUTC());
                    editor.commit();
                    return result;
                } catch (RuntimeException e) {
                    editor.discardUnlabelled(e); // a version left live and unlabelled would be material nobody tracks
                    throw e;
                }
            } finally {
                lease.release(held);
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

package dev.rotor.sync.vault;

import dev.rotor.sync.store.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One writer per store secret across secret-sync replicas: a lease at {@code <mount>/data/rotor-lock/<path>}
 * ({@code holder}, {@code until}), taken by a {@code cas} write on the version read, so two replicas can never both
 * take it. KV v2 has no check-and-set on {@code custom_metadata}, where the labels live, and two replicas do change
 * one secret at once: a rotation's RETIRE_PREVIOUS becomes due when the next rotation of the secret starts, and its
 * command (another Kafka key) may reach the other replica. A replica that dies holding the lease stops blocking others
 * when the lease ({@code rotor.sync.vault.lease}) is over; a change that outlives it writes no labels
 * ({@link Held#checkValid}).
 */
public final class VaultLease {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(VaultLease.class);
    static final String PREFIX = "rotor-lock/";
    /** Far beyond a change's few calls to a healthy Vault; the longest a dead replica blocks a secret. */
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(15);
    private static final Duration POLL = Duration.ofMillis(100);

    private final VaultClient client;
    private final Clock clock;
    private final Duration lease;
    private final String self = UUID.randomUUID().toString();

    /** This process's lease holder on {@code client}: one per process, shared by every store on that client. */
    public VaultLease(VaultClient client, Duration lease) {
        this(client, Clock.systemUTC(), lease);
    }

    VaultLease(VaultClient client, Clock clock, Duration lease) {
        if (lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("rotor.sync.vault.lease must be positive, got " + lease);
        }
        this.client = client;
        this.clock = clock;
        this.lease = lease;
    }

    /** A lease this process holds: the lock secret's version it wrote, and when it ends. */
    record Held(KvPath lock, int version, Instant until) {
        /** Throws (retryable) once the lease is over: another replica may hold it by now. */
        void checkValid(Clock clock) {
            if (!clock.instant().isBefore(until)) {
                throw new StoreException("the lease on " + lock.data() + " ran out before the change was written;"
                        + " nothing was labelled, will retry", true);
            }
        }
    }

    /**
     * Takes the lease of {@code store}'s secret, waiting while another replica holds it, at most until that lease
     * ends (then it is free, or taken by a third one: retryable).
     */
    Held acquire(KvPath store) {
        KvPath lock = new KvPath(store.mount(), PREFIX + store.path());
        Instant deadline = clock.instant().plus(lease).plus(POLL);
        while (true) {
            var current = client.read(lock, null);
            int version = current.map(VaultClient.KvVersion::version).orElseGet(() -> latest(lock));
            Instant now = clock.instant();
            Instant heldUntil = current.map(v -> v.fields().get("until")).filter(u -> !u.isBlank())
                    .map(Instant::parse).orElse(Instant.MIN);
            if (!heldUntil.isAfter(now)) {
                Instant until = now.plus(lease);
                try {
                    return new Held(lock, client.write(lock, Map.of("holder", self, "until", until.toString()),
                            version), until);
                } catch (VaultCasConflictException taken) {
                    // another replica took it first: wait for it like any holder
                }
            } else if (now.isAfter(deadline)) {
                throw new StoreException("another secret-sync replica holds the lease on " + lock.data() + " until "
                        + heldUntil + "; will retry", true);
            }
            sleep();
        }
    }

    /**
     * Frees the lease, unless it ran out and another replica took it meanwhile. A release that fails is logged, not
     * thrown: the change is written (or not) either way, and the lease ends by itself.
     */
    void release(Held held) {
        try {
            client.write(held.lock(), Map.of("holder", "", "until", ""), held.version());
        } catch (VaultCasConflictException takenOver) {
            // the lease ran out and another replica holds it now: its lease, not ours to free
        } catch (StoreException e) {
            LOG.warnf("the lease on %s was not released (it ends at %s by itself): %s", held.lock().data(),
                    held.until(), e.getMessage());
        }
    }

    /** The newest version number, when the newest data cannot be read (soft-deleted or destroyed); 0 for none. */
    private int latest(KvPath lock) {
        return client.metadata(lock).map(m -> (int) m.currentVersion()).orElse(0);
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for a Vault lease", true);
        }
    }
}

package dev.rotor.reencrypt.scale;

import dev.rotor.contracts.messages.Direction;
import dev.rotor.contracts.messages.StepRequested;
import dev.rotor.reencrypt.engine.ReencryptJob;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The key versions of the jobs whose chunks this worker is running, read from the store once per job rather than once
 * per chunk (a local store opening derives its keys, about a second on a cold worker). A worker runs several chunks at
 * once ({@code ROTOR_REENCRYPT_SCALE_OUT_CONCURRENCY}), so each chunk holds its job's keys through a {@link Lease}:
 * keys are never destroyed under a running chunk. Keys no chunk holds are destroyed as soon as a chunk of another job
 * arrives, and {@value #IDLE_SECONDS} s after their last chunk ended.
 */
@Singleton
public class ChunkKeys {
    private static final long IDLE_SECONDS = 30;

    private record JobId(UUID rotationId, Direction direction, int attempt) {
        static JobId of(StepRequested command) {
            return new JobId(command.rotationId(), command.direction(), command.attempt());
        }
    }

    /** One job's keys and the chunks running with them. */
    private static final class Held {
        final ReencryptJob job;
        int users;
        long lastUsed;

        Held(ReencryptJob job) {
            this.job = job;
        }

        boolean destroyed() {
            return job.from().isDestroyed() || job.to().isDestroyed();
        }

        void destroy() {
            job.from().destroy();
            job.to().destroy();
        }
    }

    /** A running chunk's hold on its job's keys; closing it ends the hold. */
    public final class Lease implements AutoCloseable {
        private final Held held;
        private boolean closed;

        private Lease(Held held) {
            this.held = held;
        }

        public ReencryptJob job() {
            return held.job;
        }

        @Override
        public void close() {
            synchronized (ChunkKeys.this) {
                if (closed) {
                    return;
                }
                closed = true;
                held.users--;
                held.lastUsed = System.nanoTime();
                // Keys replaced while this chunk ran (they had been destroyed and were read again) go with it.
                if (held.users == 0 && !jobs.containsValue(held)) {
                    held.destroy();
                }
            }
        }
    }

    private final Map<JobId, Held> jobs = new HashMap<>();
    private ScheduledExecutorService sweeper;

    @PostConstruct
    void start() {
        sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rotor-reencrypt-chunk-keys");
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleWithFixedDelay(() -> expire(TimeUnit.SECONDS.toNanos(IDLE_SECONDS)), IDLE_SECONDS,
                IDLE_SECONDS / 3, TimeUnit.SECONDS);
    }

    /**
     * The command's job with its keys, loaded by {@code load} unless this job's keys are held already; held until the
     * lease is closed.
     */
    synchronized Lease acquire(StepRequested command, Supplier<ReencryptJob> load) {
        JobId id = JobId.of(command);
        Held held = jobs.get(id);
        if (held != null && held.destroyed()) {
            jobs.remove(id);
            if (held.users == 0) {
                held.destroy(); // both keys, not only the one destroyed already
            }
            held = null;
        }
        if (held == null) {
            expire(0); // a chunk of another job: keys that no running chunk holds are not needed any more
            held = new Held(load.get());
            jobs.put(id, held);
        }
        held.users++;
        held.lastUsed = System.nanoTime();
        return new Lease(held);
    }

    /**
     * The coordinator's own hold on its job, with copies of the keys it has read already: the chunks that run on this
     * worker use them instead of reading the store again. Copies, because the coordinator destroys its keys when its
     * step ends, and a chunk of the job may still hold these. Keys held for the job already are kept instead.
     */
    synchronized Lease share(StepRequested command, ReencryptJob job) {
        return acquire(command, () -> job.withKeys(job.from().copy(), job.to().copy()));
    }

    /** Destroys the keys no chunk has held for {@code idleNanos}. */
    synchronized void expire(long idleNanos) {
        long now = System.nanoTime();
        Iterator<Held> it = jobs.values().iterator();
        while (it.hasNext()) {
            Held held = it.next();
            if (held.users == 0 && now - held.lastUsed >= idleNanos) {
                held.destroy();
                it.remove();
            }
        }
    }

    /** Jobs whose keys are held now (for the tests). */
    synchronized int held() {
        return jobs.size();
    }

    @PreDestroy
    synchronized void stop() {
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
        jobs.values().forEach(Held::destroy);
        jobs.clear();
    }
}

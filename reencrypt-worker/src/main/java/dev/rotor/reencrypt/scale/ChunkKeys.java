package dev.rotor.reencrypt.scale;

import dev.rotor.contracts.messages.StepRequested;
import dev.rotor.reencrypt.engine.ReencryptJob;
import dev.rotor.contracts.messages.Direction;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The key versions of the job whose chunks this worker is running, read from the store once per job rather than once
 * per chunk (a local store opening derives its keys, about a second on a cold worker). Held for one job only: the
 * keys are destroyed when a chunk of another job arrives, and {@value #IDLE_SECONDS} s after the last chunk.
 */
@Singleton
public class ChunkKeys {
    private static final long IDLE_SECONDS = 30;

    private record Held(UUID rotationId, Direction direction, int attempt, ReencryptJob job) {
    }

    private ScheduledExecutorService sweeper;
    private Held held;
    private long lastUsed;

    @PostConstruct
    void start() {
        sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rotor-reencrypt-chunk-keys");
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleWithFixedDelay(this::expire, IDLE_SECONDS, IDLE_SECONDS / 3, TimeUnit.SECONDS);
    }

    /** The command's job with its keys, loaded by {@code load} unless this job's keys are held already. */
    synchronized ReencryptJob job(StepRequested command, Supplier<ReencryptJob> load) {
        lastUsed = System.nanoTime();
        if (held != null && held.rotationId().equals(command.rotationId())
                && held.direction() == command.direction() && held.attempt() == command.attempt()
                && !held.job().from().isDestroyed() && !held.job().to().isDestroyed()) {
            return held.job();
        }
        release();
        ReencryptJob job = load.get();
        held = new Held(command.rotationId(), command.direction(), command.attempt(), job);
        return job;
    }

    private synchronized void expire() {
        if (held != null && System.nanoTime() - lastUsed > TimeUnit.SECONDS.toNanos(IDLE_SECONDS)) {
            release();
        }
    }

    private void release() {
        if (held != null) {
            held.job().from().destroy();
            held.job().to().destroy();
            held = null;
        }
    }

    @PreDestroy
    synchronized void stop() {
        sweeper.shutdownNow();
        release();
    }
}

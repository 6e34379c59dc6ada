package dev.rotor.reencrypt.jobs;

import dev.rotor.contracts.messages.Direction;
import dev.rotor.contracts.messages.StepResult;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Running and recently finished jobs, in memory, by {@link JobKey}. A duplicated command finds its job here and
 * does not start a second one. Jobs of one rotation run one after the other, and a compensation cancels the
 * rotation's running forward job first (it then undoes whatever that job had committed), as a newer attempt of a step
 * cancels the older ones. After a restart the registry is empty: a redelivered command runs again, which the engine
 * makes harmless (rows already under the target key are skipped).
 */
public final class JobRegistry {
    private static final int KEEP_FINISHED = 500;

    /** One job: its outcome and its cancel flag. */
    public record Job(JobKey key, CompletableFuture<StepResult> result, AtomicBoolean cancel) {
    }

    /** What {@link #admit} found: a job started now, or one that existed already. */
    public record Admission(Job job, boolean started) {
    }

    private final Map<JobKey, Job> jobs = new LinkedHashMap<>();
    private final Map<UUID, CompletableFuture<StepResult>> tails = new LinkedHashMap<>();
    private final ExecutorService executor;

    public JobRegistry(ExecutorService executor) {
        this.executor = executor;
    }

    /** The existing job for this key, or a new one running {@code work} after the rotation's earlier jobs. */
    public synchronized Admission admit(JobKey key, Function<AtomicBoolean, StepResult> work) {
        Job existing = jobs.get(key);
        if (existing != null) {
            return new Admission(existing, false);
        }
        // A compensation stops the rotation's forward jobs; a newer attempt stops the older ones of its step, which the
        // orchestrator gave up on (a coordinator waiting for chunks would otherwise hold the newer attempt back).
        jobs.values().stream().filter(j -> j.key().rotationId().equals(key.rotationId())
                && j.key().direction() == Direction.FORWARD && !j.result().isDone()
                && (key.direction() == Direction.COMPENSATE
                        || j.key().step() == key.step() && j.key().attempt() < key.attempt()))
                .forEach(j -> j.cancel().set(true));
        AtomicBoolean cancel = new AtomicBoolean();
        CompletableFuture<StepResult> before = tails.getOrDefault(key.rotationId(),
                CompletableFuture.completedFuture(null));
        CompletableFuture<StepResult> result = before.handle((r, e) -> null)
                .thenApplyAsync(ignored -> work.apply(cancel), executor);
        Job job = new Job(key, result, cancel);
        jobs.put(key, job);
        tails.put(key.rotationId(), result);
        result.whenComplete((r, e) -> forgetOld());
        return new Admission(job, true);
    }

    private synchronized void forgetOld() {
        Iterator<Job> it = jobs.values().iterator();
        while (jobs.size() > KEEP_FINISHED && it.hasNext()) {
            Job j = it.next();
            if (j.result().isDone()) {
                it.remove();
                tails.remove(j.key().rotationId(), j.result());
            }
        }
    }
}

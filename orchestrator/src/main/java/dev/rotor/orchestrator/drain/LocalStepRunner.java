package dev.rotor.orchestrator.drain;

import dev.rotor.contracts.messages.Step;
import dev.rotor.orchestrator.persistence.SagaStore;
import dev.rotor.orchestrator.persistence.TimerEntity;
import dev.rotor.orchestrator.rotation.SagaDriver;
import dev.rotor.orchestrator.saga.Saga;
import dev.rotor.orchestrator.saga.TimerKind;
import dev.rotor.orchestrator.tracing.TraceContext;
import dev.rotor.orchestrator.tracing.Traces;
import io.opentelemetry.api.trace.Span;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import dev.rotor.orchestrator.persistence.ShuttingDown;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Runs the steps the orchestrator performs itself (plan steps marked local: DRAIN_TRAFFIC, RESTORE_TRAFFIC) with the
 * durability of a worker step. The engine records the attempt and a RUN_LOCAL timer in the saga's transaction; this
 * runner finds the timer, checks that the attempt is still current, makes the call outside any transaction, then
 * records the outcome as a reply and marks the timer fired in one transaction ({@link SagaDriver#completeLocal}). A
 * crash between the call and the record leaves the timer unfired, so the call is simply made again: the maintenance
 * calls are idempotent. De-duplication of the outcome is the ordinary reply de-dupe on (rotation, step, attempt,
 * direction). Within this process a timer is never run twice at once.
 */
@ApplicationScoped
public class LocalStepRunner {
    private static final Logger LOG = Logger.getLogger(LocalStepRunner.class);

    @Inject
    SagaDriver driver;
    @Inject
    Traces traces;
    @Inject
    SagaStore store;
    @Inject
    TrafficSteps traffic;

    private final AtomicInteger threads = new AtomicInteger();
    private final ExecutorService pool = Executors.newFixedThreadPool(4,
            r -> new Thread(r, "rotor-local-step-" + threads.incrementAndGet()));
    // A rollout's WAVE_GATE holds its thread for the whole wait (minutes): gates get threads of their own, one per
    // rollout waiting, so that they never hold up the scans, drains and reloads of the pool above.
    private final ExecutorService gates = Executors.newCachedThreadPool(
            r -> new Thread(r, "rotor-wave-gate-" + threads.incrementAndGet()));
    private final Set<UUID> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean scanQueued = new AtomicBoolean();

    /** Asks for a scan of due local steps soon; calls while one is queued collapse into it. */
    public void wake() {
        if (scanQueued.compareAndSet(false, true)) {
            submit(this::scan);
        }
    }

    /** Picks up local steps a crash or a busy moment left behind. */
    @Scheduled(every = "${rotor.orchestrator.timer-poll-interval}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = ShuttingDown.class)
    void poll() {
        wake();
    }

    private void scan() {
        scanQueued.set(false);
        try {
            List<TimerEntity> due = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() ->
                    TimerEntity.<TimerEntity>find("firedAt is null and kind = ?1 and dueAt <= ?2 order by dueAt",
                            TimerKind.RUN_LOCAL.name(), Instant.now()).page(0, 50).list()));
            for (TimerEntity timer : due) {
                if (inFlight.add(timer.id)) {
                    Runnable work = () -> {
                        try {
                            run(timer);
                        } finally {
                            inFlight.remove(timer.id);
                        }
                    };
                    if (Step.WAVE_GATE.name().equals(timer.step)) {
                        submitGate(work, timer.id);
                    } else {
                        submit(work);
                    }
                }
            }
        } catch (Throwable t) {
            LOG.warnf("local step scan failed, will retry: %s", t.getMessage());
        }
    }

    private void run(TimerEntity timer) {
        Span span = traces.start("local step " + timer.step + " " + timer.direction,
                new TraceContext(timer.traceParent, timer.traceState));
        try {
            SagaStore.Loaded loaded = VertxContextSupport.subscribeAndAwait(() ->
                    Panache.withSession(() -> store.load(timer.rotationId)));
            Saga saga = loaded == null ? null : loaded.saga();
            TrafficSteps.Task task = TrafficSteps.Task.of(timer);
            boolean current = saga != null && saga.run(task.step(), task.direction())
                    .map(r -> r.awaits(task.attempt())).orElse(false);
            var result = current ? traffic.perform(saga, task) : null;
            VertxContextSupport.subscribeAndAwait(() -> Traces.of(span).within(
                    () -> driver.completeLocal(timer.id, result)));
        } catch (Throwable t) {
            Traces.failed(span, t);
            // Left unfired: the next scan repeats the attempt, or its timeout fails it.
            LOG.warnf("local step %s %s of rotation %s failed to run, will retry: %s", timer.step, timer.direction,
                    timer.rotationId, t.getMessage());
        } finally {
            span.end();
        }
    }

    private void submit(Runnable work) {
        try {
            pool.execute(work);
        } catch (RejectedExecutionException e) {
            scanQueued.set(false);
        }
    }

    private void submitGate(Runnable work, UUID timer) {
        try {
            gates.execute(work);
        } catch (RejectedExecutionException e) {
            inFlight.remove(timer); // shutting down: the timer stays unfired and runs on the next start
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        pool.shutdownNow();
        gates.shutdownNow();
    }
}

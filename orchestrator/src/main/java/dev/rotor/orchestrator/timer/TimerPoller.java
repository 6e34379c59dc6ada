package dev.rotor.orchestrator.timer;

import dev.rotor.orchestrator.persistence.TimerEntity;
import dev.rotor.orchestrator.retire.UsageChecks;
import dev.rotor.orchestrator.rotation.SagaDriver;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Fires due durable timers (start, retries, step timeouts, retirements after grace, usage checks) from the {@code timer} table, so
 * they survive a restart. A scan runs every poll interval, and at once when a transaction {@link #wake() wakes} it (a
 * new rotation's START timer is due immediately). Each timer is fired in its own transaction; timers of different
 * rotations fire concurrently, those of one rotation one after the other in due order. With more than one instance,
 * {@link SagaDriver#fire} claims the timer row with {@code for update skip locked} in the transaction that fires it, so
 * a timer another instance is firing is skipped, and one it fired is ignored: each timer acts once. Local steps (RUN_LOCAL) are left
 * to the {@link dev.rotor.orchestrator.drain.LocalStepRunner}, which must call out before it records.
 */
@ApplicationScoped
public class TimerPoller {
    private static final Logger LOG = Logger.getLogger(TimerPoller.class);
    static final int BATCH = 500;
    static final int FIRERS = 8;

    @Inject
    SagaDriver driver;
    @Inject
    UsageChecks usageChecks;
    @Inject
    Traces traces;

    private final AtomicInteger threads = new AtomicInteger();
    private final ExecutorService scanner = Executors.newSingleThreadExecutor(r -> daemon(r, "rotor-timer-scan"));
    private final ExecutorService firers = Executors.newFixedThreadPool(FIRERS,
            r -> daemon(r, "rotor-timer-" + threads.incrementAndGet()));
    private final AtomicBoolean scanQueued = new AtomicBoolean();

    /** Asks for a scan of due timers soon; calls while one is queued collapse into it. */
    public void wake() {
        if (scanQueued.compareAndSet(false, true)) {
            try {
                scanner.execute(this::scan);
            } catch (RejectedExecutionException e) {
                scanQueued.set(false); // shutting down
            }
        }
    }

    @Scheduled(every = "${rotor.orchestrator.timer-poll-interval}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = ShuttingDown.class)
    void poll() {
        wake();
    }

    private void scan() {
        scanQueued.set(false);
        List<TimerEntity> due;
        try {
            due = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> TimerEntity.<TimerEntity>find(
                    "firedAt is null and dueAt <= ?1 and kind <> ?2 order by dueAt, createdAt", Instant.now(),
                    TimerKind.RUN_LOCAL.name()).page(0, BATCH).list()));
        } catch (Throwable t) {
            LOG.warnf("timer poll failed, will retry: %s", t.getMessage());
            return;
        }
        Map<UUID, List<TimerEntity>> byRotation = new LinkedHashMap<>();
        for (TimerEntity timer : due) {
            byRotation.computeIfAbsent(timer.rotationId, r -> new ArrayList<>()).add(timer);
        }
        List<Future<?>> running = new ArrayList<>();
        try {
            for (List<TimerEntity> timers : byRotation.values()) {
                running.add(firers.submit(() -> timers.forEach(this::fire)));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            LOG.warnf("timer scan interrupted, will retry: %s", e.getMessage());
            return;
        }
        if (due.size() == BATCH) {
            wake(); // more are due
        }
    }

    /**
     * Fires in a span below the trace of the transaction that set the timer, so its effects stay in that trace. A usage
     * check probes first (a GET bounded by its timeout), so it may hold this firer that long.
     */
    private void fire(TimerEntity timer) {
        Span span = traces.start("timer " + timer.kind, new TraceContext(timer.traceParent, timer.traceState));
        try {
            if (TimerKind.valueOf(timer.kind) == TimerKind.USAGE_CHECK) {
                usageChecks.check(timer.id, timer.rotationId);
            } else {
                VertxContextSupport.subscribeAndAwait(() -> Traces.of(span).within(() -> driver.fire(timer.id)));
            }
        } catch (Throwable f) {
            Traces.failed(span, f);
            LOG.warnf("timer %s failed, will retry: %s", timer.id, f.getMessage());
        } finally {
            span.end();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        scanner.shutdownNow();
        firers.shutdownNow();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}

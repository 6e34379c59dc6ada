package dev.rotor.orchestrator.metrics;

import dev.rotor.contracts.catalog.SecretEntry;
import dev.rotor.contracts.messages.CompensationStarted;
import dev.rotor.contracts.messages.MessageTypes;
import dev.rotor.contracts.messages.RotationEvent;
import dev.rotor.contracts.messages.RotationRequested;
import dev.rotor.contracts.messages.RotorMessage;
import dev.rotor.contracts.messages.StepProgress;
import dev.rotor.contracts.messages.StepRequested;
import dev.rotor.contracts.messages.StepResult;
import dev.rotor.contracts.messages.StepSucceeded;
import dev.rotor.orchestrator.catalog.CatalogHolder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The orchestrator's own series, counted where each fact is final: a milestone or command once the outbox relay has
 * it acknowledged by the broker (so a transaction that was retried or rolled back counts nothing), a step attempt's
 * duration when its reply arrives (from the moment its command was handed to the producer; attempts in flight across
 * a restart are not timed). Labels are ids, names and states only.
 *
 * <ul>
 *   <li>{@code rotor_rotations_requested_total{secret,strategy,trigger}}</li>
 *   <li>{@code rotor_rotations_total{secret,strategy,trigger,outcome}}: outcome completed, rolled-back, failed,
 *       denied or expired</li>
 *   <li>{@code rotor_compensations_total{secret,step}}</li>
 *   <li>{@code rotor_step_attempts_total{step,direction}}, {@code rotor_step_retries_total{step,direction}}</li>
 *   <li>{@code rotor_step_attempt_seconds{step,direction,outcome}}: a histogram</li>
 * </ul>
 */
@ApplicationScoped
public class RotorMetrics {
    /** Commands awaiting their reply, by (rotation, step, direction, attempt); bounded, oldest dropped. */
    static final int MAX_IN_FLIGHT = 20_000;

    @Inject
    MeterRegistry registry;
    @Inject
    CatalogHolder catalog;

    private final Map<Attempt, Long> sentAt = new ConcurrentHashMap<>();

    private record Attempt(UUID rotation, String step, String direction, int attempt) {
    }

    /**
     * A message handed to the producer: a step command's attempt is timed from here. Not from its acknowledgement,
     * which the relay takes after the broker answered and the row is marked: a fast worker's reply can come first.
     */
    public void sending(RotorMessage message) {
        if (message instanceof StepRequested c && sentAt.size() < MAX_IN_FLIGHT) {
            sentAt.put(new Attempt(c.rotationId(), c.step().name(), c.direction().name(), c.attempt()),
                    System.nanoTime());
        }
    }

    /** A message the broker acknowledged from the outbox. */
    public void published(RotorMessage message) {
        if (message instanceof StepRequested c) {
            counter("rotor_step_attempts_total", "Step commands sent, every attempt", "step", c.step().name(),
                    "direction", c.direction().name()).increment();
            if (c.attempt() > 1) {
                counter("rotor_step_retries_total", "Step commands sent again after a failed attempt", "step",
                        c.step().name(), "direction", c.direction().name()).increment();
            }
        } else if (message instanceof RotationRequested r) {
            counter("rotor_rotations_requested_total", "Rotations accepted", "secret", r.secretId(), "strategy",
                    r.strategy(), "trigger", r.trigger().name()).increment();
        } else if (message instanceof CompensationStarted c) {
            counter("rotor_compensations_total", "Rotations that started compensating, by the failed step",
                    "secret", c.secretId(), "step", c.failedStep() == null ? "" : c.failedStep().name()).increment();
        } else if (message instanceof RotationEvent e && e.terminal()) {
            counter("rotor_rotations_total", "Rotations that ended, by outcome", "secret", e.secretId(), "strategy",
                    strategy(e.secretId()), "trigger", e.trigger().name(), "outcome", outcome(e.type())).increment();
        }
    }

    /** A worker's reply: the attempt's duration, when this process sent its command. */
    public void replied(StepResult reply) {
        if (reply instanceof StepProgress) {
            return;
        }
        Long sent = sentAt.remove(new Attempt(reply.rotationId(), reply.step().name(), reply.direction().name(),
                reply.attempt()));
        if (sent == null) {
            return;
        }
        Timer.builder("rotor_step_attempt_seconds").description("From a step command's publication to its reply")
                .tags("step", reply.step().name(), "direction", reply.direction().name(), "outcome",
                        reply instanceof StepSucceeded || reply.type().contains("compensated") ? "succeeded"
                                : "failed")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(5))
                .maximumExpectedValue(Duration.ofHours(2)).register(registry)
                .record(Duration.ofNanos(System.nanoTime() - sent));
    }

    private Counter counter(String name, String description, String... tags) {
        return Counter.builder(name).description(description).tags(tags).register(registry);
    }

    private String strategy(String secretId) {
        return catalog.find(secretId).map(SecretEntry::strategy).map(s -> s.catalogName()).orElse("");
    }

    /** {@code dev.rotor.rotation-rolled-back.v1} → {@code rolled-back}. */
    static String outcome(String type) {
        return MessageTypes.nameOf(type).replaceFirst("^rotation-", "");
    }
}

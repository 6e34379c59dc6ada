package dev.rotor.notifier.consume;

import dev.rotor.notifier.catalog.ChannelRegistry;
import dev.rotor.notifier.channel.NotificationChannel;
import dev.rotor.notifier.delivery.DeliveredEvents;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Each replica's sweep ({@code rotor.notifier.delivery.sweep-interval}): it renews the leases of its own unfinished
 * claims, then takes over the claims of replicas that stopped (their leases ran out) and sends those milestones, and
 * once an hour drops delivered pairs older than the retention.
 *
 * <p>Idempotent: the takeover is one {@code UPDATE ... FOR UPDATE SKIP LOCKED}, so each expired claim goes to one
 * replica; a repeat happens only if the stopped replica had reached the receiver without recording it. A taken-over
 * milestone that its channel gives up on is released and counted {@code failed}; it has no Kafka record left to
 * dead-letter, so the error log names the rotation and the channel.
 */
@ApplicationScoped
public class ExpiredClaims {
    private static final Logger LOG = Logger.getLogger(ExpiredClaims.class);
    private static final int BATCH = 100;
    private static final Duration PRUNE_EVERY = Duration.ofHours(1);

    private final DeliveredEvents delivered;
    private final ChannelRegistry registry;
    private final Dispatcher dispatcher;
    private Instant nextPrune = Instant.now();

    public ExpiredClaims(DeliveredEvents delivered, ChannelRegistry registry, MeterRegistry meters) {
        this.delivered = delivered;
        this.registry = registry;
        this.dispatcher = new Dispatcher(delivered, Dispatcher.Outcomes.countedIn(meters));
    }

    @Scheduled(every = "${rotor.notifier.delivery.sweep-interval:10s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        delivered.renewLeases();
        for (DeliveredEvents.Claim claim : delivered.takeExpired(BATCH)) {
            Optional<NotificationChannel> channel = registry.channel(claim.channel());
            String what = claim.notification().describe();
            if (channel.isEmpty()) {
                LOG.warnf("channel '%s' is no longer in the catalog; its unfinished %s is dropped", claim.channel(),
                        what);
                delivered.forget(claim.notification().id(), claim.channel());
                continue;
            }
            LOG.infof("channel '%s': taking over %s (event %s), left unfinished by a stopped replica",
                    claim.channel(), what, claim.notification().id());
            dispatcher.send(claim.notification(), channel.get()).thenAccept(ok -> {
                if (!ok) {
                    LOG.errorf("channel '%s' gave up on the %s, taken over from a stopped replica",
                            claim.channel(), what);
                }
            });
        }
        if (!Instant.now().isBefore(nextPrune)) {
            nextPrune = Instant.now().plus(PRUNE_EVERY);
            int pruned = delivered.prune();
            if (pruned > 0) {
                LOG.debugf("pruned %d delivery rows past the retention", pruned);
            }
        }
    }
}

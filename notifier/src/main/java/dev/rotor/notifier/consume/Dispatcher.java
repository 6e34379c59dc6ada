package dev.rotor.notifier.consume;

import dev.rotor.notifier.channel.Notification;
import dev.rotor.notifier.channel.NotificationChannel;
import dev.rotor.notifier.delivery.DeliveredEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * Hands one milestone to each of its channels that has not had it yet, and records the outcome: delivered, or given
 * up on (released, so a later redelivery may try again). De-duplicates on (CloudEvent id, channel) through
 * {@link DeliveredEvents}, which every replica shares and which survives restarts.
 */
public final class Dispatcher {
    private static final Logger LOG = Logger.getLogger(Dispatcher.class);

    /** Told each final outcome: the channel, the milestone's short name, and whether it was delivered. */
    public interface Outcomes {
        void outcome(String channel, String type, boolean delivered);

        /**
         * Counts {@code rotor_notifications_total{channel,type,outcome}}: each milestone's final outcome per channel,
         * {@code delivered} or {@code failed} (after the channel's retries).
         */
        static Outcomes countedIn(MeterRegistry meters) {
            return (channel, type, ok) -> Counter.builder("rotor_notifications_total")
                    .description("Milestones handed to a channel, by final outcome (after retries)")
                    .tags("channel", channel, "type", type, "outcome", ok ? "delivered" : "failed")
                    .register(meters).increment();
        }
    }

    private final DeliveredEvents delivered;
    private final Outcomes outcomes;

    public Dispatcher(DeliveredEvents delivered) {
        this(delivered, (channel, type, ok) -> { });
    }

    public Dispatcher(DeliveredEvents delivered, Outcomes outcomes) {
        this.delivered = delivered;
        this.outcomes = outcomes;
    }

    /** The outcome per channel handed the milestone now; channels that already had it are left out. */
    public Map<String, CompletableFuture<Boolean>> dispatch(Notification n, List<NotificationChannel> channels) {
        Map<String, CompletableFuture<Boolean>> outcomes = new LinkedHashMap<>();
        for (NotificationChannel channel : channels) {
            if (delivered.claim(n, channel.name())) {
                outcomes.put(channel.name(), send(n, channel));
            } else {
                LOG.debugf("channel '%s': %s already claimed or delivered; redelivery skipped", channel.name(),
                        n.id());
            }
        }
        return outcomes;
    }

    /** Sends a milestone this replica already holds the claim of (one taken over from a stopped replica). */
    public CompletableFuture<Boolean> send(Notification n, NotificationChannel channel) {
        return channel.submit(n).toCompletableFuture().thenApply(ok -> record(ok, n, channel));
    }

    private boolean record(boolean ok, Notification n, NotificationChannel channel) {
        outcomes.outcome(channel.name(), n.milestone(), ok);
        if (ok) {
            delivered.deliveredSoon(n.id(), channel.name());
        } else {
            delivered.forget(n.id(), channel.name());
        }
        return ok;
    }
}

package dev.rotor.notifier.consume;

import dev.rotor.notifier.channel.Notification;
import dev.rotor.notifier.channel.NotificationChannel;
import dev.rotor.notifier.delivery.DeliveredEvents;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * Hands one milestone to each of its channels that has not had it yet, and records the outcome: delivered, or given
 * up on (released, so a later redelivery may try again). De-duplicates on (CloudEvent id, channel) through
 * {@link DeliveredEvents}, which survives restarts.
 */
public final class Dispatcher {
    private static final Logger LOG = Logger.getLogger(Dispatcher.class);

    /** Told each final outcome: the channel, the milestone's short name, and whether it was delivered. */
    public interface Outcomes {
        void outcome(String channel, String type, boolean delivered);
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
            if (delivered.firstTime(n.id(), channel.name(), channel.repeatSafe())) {
                outcomes.put(channel.name(), channel.submit(n).toCompletableFuture()
                        .thenApply(ok -> record(ok, n, channel)));
            } else {
                LOG.debugf("channel '%s': %s already handled; redelivery skipped", channel.name(), n.id());
            }
        }
        return outcomes;
    }

    private boolean record(boolean ok, Notification n, NotificationChannel channel) {
        outcomes.outcome(channel.name(), n.milestone(), ok);
        if (ok) {
            delivered.delivered(n.id(), channel.name());
        } else {
            delivered.forget(n.id(), channel.name());
        }
        return ok;
    }
}

package dev.rotor.notifier.delivery;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * One channel's deliveries, one after the other: the receiver sees a rotation's milestones in order even when an
 * earlier one needed retries, and a delivery can use what the one before it learnt (Slack's message {@code ts}).
 * Channels have a lane each, so they never wait for each other. Bounded: a channel that is down must not eat memory.
 */
public final class Lane {
    private static final Logger LOG = Logger.getLogger(Lane.class);

    private final String channel;
    private final int capacity;
    private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);
    private int pending;

    public Lane(String channel, int capacity) {
        this.channel = channel;
        this.capacity = capacity;
    }

    /**
     * Runs {@code work} once every earlier delivery of this lane has finished, whatever their outcome.
     *
     * @return true once delivered, false when dropped, failed or given up; never exceptionally
     */
    public synchronized CompletableFuture<Boolean> enqueue(String label, Supplier<CompletableFuture<Boolean>> work) {
        if (pending >= capacity) {
            LOG.errorf("channel '%s': %d messages already waiting; dropped %s", channel, pending, label);
            return CompletableFuture.completedFuture(false);
        }
        pending++;
        CompletableFuture<Boolean> outcome = tail.thenCompose(previous -> run(label, work))
                .handle((delivered, error) -> done(error == null && Boolean.TRUE.equals(delivered)));
        tail = outcome;
        return outcome;
    }

    private CompletableFuture<Boolean> run(String label, Supplier<CompletableFuture<Boolean>> work) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            // The class only: a message could carry what was being rendered.
            LOG.errorf("channel '%s': could not deliver %s: %s", channel, label, e.getClass().getSimpleName());
            return CompletableFuture.completedFuture(false);
        }
    }

    private synchronized boolean done(boolean delivered) {
        pending--;
        return delivered;
    }
}

package dev.rotor.notifier.channel;

import dev.rotor.notifier.delivery.HttpDelivery;
import dev.rotor.notifier.delivery.HttpSender;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * A channel reached by HTTP POST (webhook, Slack). Deliveries to one channel go out one after the other, so the
 * receiver sees a rotation's milestones in order even when an earlier one needed retries; channels do not wait for
 * each other. The consumer waits for the outcome of urgent milestones only.
 */
public final class HttpChannel implements NotificationChannel {
    private static final Logger LOG = Logger.getLogger(HttpChannel.class);

    private final String name;
    private final URI url;
    private final String contentType;
    private final Function<Notification, byte[]> render;
    private final HttpSender sender;
    private final int capacity;
    private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);
    private int pending;

    public HttpChannel(String name, URI url, String contentType, Function<Notification, byte[]> render,
            HttpSender sender, int capacity) {
        this.name = name;
        this.url = url;
        this.contentType = contentType;
        this.render = render;
        this.sender = sender;
        this.capacity = capacity;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized CompletionStage<Boolean> submit(Notification n) {
        String label = n.milestone() + " of rotation " + n.event().rotationId();
        if (pending >= capacity) {
            LOG.errorf("channel '%s': %d messages already waiting; dropped %s", name, pending, label);
            return CompletableFuture.completedFuture(false);
        }
        HttpDelivery delivery;
        try {
            delivery = new HttpDelivery(name, url, contentType, render.apply(n), label);
        } catch (RuntimeException e) {
            LOG.errorf("channel '%s': could not render %s: %s", name, label, e.getClass().getSimpleName());
            return CompletableFuture.completedFuture(false);
        }
        pending++;
        CompletableFuture<Boolean> outcome = tail.thenCompose(previous -> sender.send(delivery))
                .handle((delivered, error) -> done(error == null && Boolean.TRUE.equals(delivered)));
        tail = outcome; // the next delivery runs whatever happened to this one
        return outcome;
    }

    private synchronized boolean done(boolean delivered) {
        pending--;
        return delivered;
    }
}

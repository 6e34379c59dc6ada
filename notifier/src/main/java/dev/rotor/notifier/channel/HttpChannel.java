package dev.rotor.notifier.channel;

import dev.rotor.notifier.delivery.HttpDelivery;
import dev.rotor.notifier.delivery.HttpSender;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * A channel reached by HTTP POST (webhook, Slack). Deliveries to one channel go out one after the other, so the
 * receiver sees a rotation's milestones in order even when an earlier one needed retries; channels do not wait for
 * each other, and nobody waits for any channel.
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
    public synchronized void submit(Notification n, Runnable onGiveUp) {
        String label = n.milestone() + " of rotation " + n.event().rotationId();
        if (pending >= capacity) {
            LOG.errorf("channel '%s': %d messages already waiting; dropped %s", name, pending, label);
            onGiveUp.run();
            return;
        }
        HttpDelivery delivery;
        try {
            delivery = new HttpDelivery(name, url, contentType, render.apply(n), label);
        } catch (RuntimeException e) {
            LOG.errorf("channel '%s': could not render %s: %s", name, label, e.getClass().getSimpleName());
            onGiveUp.run();
            return;
        }
        pending++;
        tail = tail.thenCompose(previous -> sender.send(delivery))
                .handle((delivered, error) -> {
                    done(delivered, error, onGiveUp);
                    return null; // the next delivery runs whatever happened to this one
                });
    }

    private synchronized void done(Boolean delivered, Throwable error, Runnable onGiveUp) {
        pending--;
        if (error != null || !Boolean.TRUE.equals(delivered)) {
            onGiveUp.run();
        }
    }
}

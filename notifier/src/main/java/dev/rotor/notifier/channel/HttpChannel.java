package dev.rotor.notifier.channel;

import dev.rotor.notifier.delivery.HttpDelivery;
import dev.rotor.notifier.delivery.HttpSender;
import dev.rotor.notifier.delivery.Lane;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * A channel reached by HTTP POST: webhook, Slack (webhook and bot mode), Teams, PagerDuty. Its {@link HttpMessages}
 * says what to send for each milestone; its {@link Lane} sends them one after the other, with the sender's retries.
 */
public final class HttpChannel implements NotificationChannel {
    private final String name;
    private final HttpMessages messages;
    private final HttpSender sender;
    private final Lane lane;

    public HttpChannel(String name, HttpMessages messages, HttpSender sender, int capacity) {
        this.name = name;
        this.messages = messages;
        this.sender = sender;
        this.lane = new Lane(name, capacity);
    }

    /** A channel that POSTs one rendering of every milestone to a fixed URL. */
    public HttpChannel(String name, URI url, String contentType, Function<Notification, byte[]> render,
            HttpSender sender, int capacity) {
        this(name, n -> Optional.of(HttpMessages.Request.post(url, contentType, render.apply(n))), sender, capacity);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CompletionStage<Boolean> submit(Notification n) {
        String label = n.describe();
        return lane.enqueue(label, () -> {
            // Rendered in lane order, so it sees what the previous delivery left (Slack's ts).
            Optional<HttpMessages.Request> request = messages.render(n);
            if (request.isEmpty()) {
                return CompletableFuture.completedFuture(true); // nothing to say about this milestone
            }
            HttpMessages.Request r = request.get();
            return sender.exchange(new HttpDelivery(name, r.url(), r.contentType(), r.headers(), r.body(), label,
                    r.check())).thenApply(reply -> {
                        if (reply.delivered()) {
                            messages.delivered(n, reply.body());
                        }
                        return reply.delivered();
                    });
        });
    }
}

package dev.rotor.notifier.channel;

import java.util.concurrent.CompletionStage;

/** A configured destination of notifications, named as in the catalog's {@code notify.channels}. */
public interface NotificationChannel {

    String name();

    /**
     * Hands a notification over for delivery and returns at once; it never blocks nor throws.
     *
     * @return completes with true once delivered, or false when the channel gave up on it (after its retries, and
     *     after logging why); never exceptionally
     */
    CompletionStage<Boolean> submit(Notification notification);
}

package dev.rotor.notifier.channel;

/** A configured destination of notifications, named as in the catalog's {@code notify.channels}. */
public interface NotificationChannel {

    String name();

    /**
     * Hands a notification over for delivery and returns at once; it never blocks nor throws.
     *
     * @param onGiveUp run when the notification could not be delivered in the end, so it may be tried again later
     */
    void submit(Notification notification, Runnable onGiveUp);
}

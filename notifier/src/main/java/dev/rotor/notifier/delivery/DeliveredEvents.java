package dev.rotor.notifier.delivery;

import dev.rotor.notifier.config.NotifierConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The redelivery guard: remembers which (CloudEvent id, channel) pairs were already handed to a channel, in a bounded
 * LRU (capacity {@code rotor.notifier.dedupe.capacity}, default 10,000), so a record that Kafka delivers again (a
 * rebalance, a replayed partition) is not sent twice.
 *
 * <p>Limits, by choice: it lives in memory, so after a restart a redelivered record is sent again (receivers may
 * de-duplicate on the CloudEvent id, which is stable); and a pair whose delivery was given up is forgotten, so a
 * later redelivery may try again.
 */
@ApplicationScoped
public class DeliveredEvents {
    private final Map<String, Boolean> seen;

    @Inject
    public DeliveredEvents(NotifierConfig config) {
        this(config.dedupe().capacity());
    }

    DeliveredEvents(int capacity) {
        this.seen = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** True the first time a pair is seen (and remembers it); false for a redelivery. */
    public synchronized boolean firstTime(String eventId, String channel) {
        return seen.put(key(eventId, channel), Boolean.TRUE) == null;
    }

    public synchronized void forget(String eventId, String channel) {
        seen.remove(key(eventId, channel));
    }

    synchronized int size() {
        return seen.size();
    }

    private static String key(String eventId, String channel) {
        return eventId + '\u0000' + channel;
    }
}

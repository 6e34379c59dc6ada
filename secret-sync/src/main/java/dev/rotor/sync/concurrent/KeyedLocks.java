package dev.rotor.sync.concurrent;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One lock per key (a secret's path, a file), for keys that come from requests. A key's lock exists only while a
 * thread holds it or waits for it, so the map does not grow with every path or file ever seen. Reentrant.
 */
public final class KeyedLocks<K> {
    private static final class Entry {
        final ReentrantLock lock = new ReentrantLock();
        int users; // changed only inside the map's compute, which is atomic per key
    }

    private final Map<K, Entry> entries = new ConcurrentHashMap<>();

    /** Runs {@code body} holding the lock of {@code key}; its result is returned. */
    public <R> R withLock(K key, Supplier<R> body) {
        Entry entry = entries.compute(key, (k, e) -> {
            Entry in = e == null ? new Entry() : e;
            in.users++;
            return in;
        });
        try {
            entry.lock.lock();
            try {
                return body.get();
            } finally {
                entry.lock.unlock();
            }
        } finally {
            entries.computeIfPresent(key, (k, e) -> --e.users == 0 ? null : e);
        }
    }

    /** How many keys have a lock now, i.e. are held or awaited. */
    public int size() {
        return entries.size();
    }
}

package dev.rotor.sync.concurrent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class KeyedLocksTest {

    @Test
    void oneHolderPerKeyAtATimeAndNoLockIsLeftOnceAllAreDone() throws Exception {
        KeyedLocks<String> locks = new KeyedLocks<>();
        int keys = 50;
        AtomicInteger[] inside = new AtomicInteger[keys];
        int[] counts = new int[keys]; // unsynchronised on purpose: only the key's lock protects it
        for (int i = 0; i < keys; i++) {
            inside[i] = new AtomicInteger();
        }
        AtomicInteger overlaps = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int n = 0; n < 4000; n++) {
                int key = n % keys;
                done.add(pool.submit(() -> locks.withLock("path/" + key, () -> {
                    if (inside[key].incrementAndGet() > 1) {
                        overlaps.incrementAndGet();
                    }
                    counts[key]++;
                    inside[key].decrementAndGet();
                    return null;
                })));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(overlaps).hasValue(0);
        for (int c : counts) {
            assertThat(c).isEqualTo(4000 / keys);
        }
        assertThat(locks.size()).isZero();
    }

    @Test
    void itIsReentrantAndABodyThatThrowsStillReleases() {
        KeyedLocks<String> locks = new KeyedLocks<>();
        assertThat(locks.withLock("a", () -> locks.withLock("a", () -> locks.size()))).isEqualTo(1);
        try {
            locks.withLock("b", () -> {
                throw new IllegalStateException("boom");
            });
        } catch (IllegalStateException expected) {
            // the lock must be gone all the same
        }
        assertThat(locks.size()).isZero();
    }
}

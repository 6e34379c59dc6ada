package dev.rotor.reencrypt.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Heap use during a phase: the highest heap use sampled every 5 ms and seen by the collector before each GC (what
 * the JVM really held at its fullest), and the highest use left after a GC (the live set the engine keeps).
 */
final class HeapPeak {
    private static final AtomicLong PEAK = new AtomicLong();
    private static final AtomicLong LIVE = new AtomicLong();
    private static volatile boolean started;

    private HeapPeak() {
    }

    static synchronized void reset() {
        if (!started) {
            start();
        }
        System.gc();
        PEAK.set(0);
        LIVE.set(0);
    }

    static long peakBytes() {
        return PEAK.get();
    }

    static long liveBytes() {
        return LIVE.get();
    }

    static long maxBytes() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
    }

    private static void start() {
        started = true;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener((n, h) -> {
                if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                    return;
                }
                var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData()).getGcInfo();
                PEAK.accumulateAndGet(heap(info.getMemoryUsageBeforeGc()), Math::max);
                LIVE.accumulateAndGet(heap(info.getMemoryUsageAfterGc()), Math::max);
            }, null, null);
        }
        Thread sampler = new Thread(() -> {
            while (true) {
                PEAK.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    // Heap pools only: the before/after maps also hold code cache and metaspace.
    private static long heap(java.util.Map<String, MemoryUsage> usages) {
        java.util.Set<String> heapPools = new java.util.HashSet<>();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapPools.add(pool.getName());
            }
        }
        return usages.entrySet().stream().filter(e -> heapPools.contains(e.getKey()))
                .mapToLong(e -> e.getValue().getUsed()).sum();
    }
}

package dev.rotor.contracts.cipher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class DerivedKeyCacheTest {
    private static final MasterKey V1 =
            MasterKey.fromHex(1, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    private static final MasterKey V2 =
            MasterKey.fromHex(2, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

    private final DerivedKeyCache cache = new DerivedKeyCache();
    private final ColumnCodec lockbox = Codecs.lockbox();

    @Test
    void derivesOncePerVersionAndLabels() {
        ColumnKey first = cache.get(lockbox, V1, "credentials", "value");
        for (int row = 0; row < 1000; row++) {
            assertThat(cache.get(lockbox, V1, "credentials", "value")).isSameAs(first);
        }

        assertThat(cache.derivations()).isEqualTo(1);
        assertThat(first.keyVersion()).isEqualTo(1);
        assertThat(first.tableLabel()).isEqualTo("credentials");
        assertThat(first.columnLabel()).isEqualTo("value");
    }

    @Test
    void keepsVersionsLabelsAndCodecsApart() {
        ColumnKey base = cache.get(lockbox, V1, "credentials", "value");
        ColumnKey otherVersion = cache.get(lockbox, V2, "credentials", "value");
        ColumnKey otherColumn = cache.get(lockbox, V1, "credentials", "options");
        ColumnKey otherCodec = cache.get(Codecs.rotorV1(), V1, "credentials", "value");

        assertThat(List.of(base, otherVersion, otherColumn, otherCodec)).doesNotHaveDuplicates();
        assertThat(otherCodec.codec()).isEqualTo("rotor-v1");
        assertThat(cache.derivations()).isEqualTo(4);
        assertThat(cache.size()).isEqualTo(4);
    }

    @Test
    void manyThreadsAtOnceStillDeriveOnce() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        Callable<ColumnKey> get = () -> {
            start.await();
            return cache.get(lockbox, V1, "credentials", "value");
        };
        List<Future<ColumnKey>> results = new ArrayList<>();
        for (int i = 0; i < threads * 4; i++) {
            results.add(pool.submit(get));
        }
        start.countDown();
        Set<ColumnKey> keys = ConcurrentHashMap.newKeySet();
        for (Future<ColumnKey> result : results) {
            keys.add(result.get());
        }
        pool.shutdown();

        assertThat(keys).hasSize(1);
        assertThat(cache.derivations()).isEqualTo(1);
    }

    @Test
    void refusesASecondKeyUnderACachedVersion() {
        cache.get(lockbox, V1, "credentials", "value");
        MasterKey impostor = MasterKey.fromHex(1, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        MasterKey sameKeyAgain =
                MasterKey.fromHex(1, "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF");

        assertThatThrownBy(() -> cache.get(lockbox, impostor, "credentials", "value"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("two different master keys are both version 1; a key version must name exactly one key");
        assertThat(cache.get(lockbox, sameKeyAgain, "credentials", "value"))
                .isSameAs(cache.get(lockbox, V1, "credentials", "value"));
    }

    @Test
    void evictDropsOneVersion() {
        cache.get(lockbox, V1, "credentials", "value");
        cache.get(lockbox, V2, "credentials", "value");

        cache.evict(1);
        cache.get(lockbox, V2, "credentials", "value");
        cache.get(lockbox, V1, "credentials", "value");

        assertThat(cache.derivations()).isEqualTo(3);
    }
}

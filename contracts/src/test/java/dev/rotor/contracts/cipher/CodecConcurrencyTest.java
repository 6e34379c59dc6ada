package dev.rotor.contracts.cipher;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Shared codecs and column keys from many threads at once: every value decrypts to its own plaintext. */
class CodecConcurrencyTest {
    private static final MasterKey MASTER =
            MasterKey.fromHex(9, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");

    @Test
    void everyThreadGetsItsOwnPlaintextBack() throws Exception {
        DerivedKeyCache cache = new DerivedKeyCache();
        int threads = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Integer>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            results.add(pool.submit(() -> roundTrips(cache, thread, 2_000)));
        }
        int total = 0;
        for (Future<Integer> result : results) {
            total += result.get();
        }
        pool.shutdown();

        assertThat(total).isEqualTo(threads * 2_000 * 2);
        assertThat(cache.derivations()).isEqualTo(2);
    }

    private static int roundTrips(DerivedKeyCache cache, int thread, int rows) throws UndecryptableException {
        int ok = 0;
        for (ColumnCodec codec : List.of(Codecs.lockbox(), Codecs.rotorV1())) {
            ColumnKey key = cache.get(codec, MASTER, "credentials", "value");
            for (int row = 0; row < rows; row++) {
                String rowId = thread + "-" + row;
                byte[] plaintext = ("value of " + rowId).getBytes(UTF_8);
                String stored = codec.encrypt(key, rowId, plaintext);
                if (new String(codec.decrypt(key, rowId, stored), UTF_8).equals("value of " + rowId)) {
                    ok++;
                }
            }
        }
        return ok;
    }
}

package dev.rotor.reencrypt.engine;

import dev.rotor.contracts.cipher.ColumnCodec;
import dev.rotor.contracts.cipher.ColumnKey;
import dev.rotor.contracts.cipher.UndecryptableException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decrypts and re-encrypts a chunk on a small fixed pool (one slice per thread), so the crypto of one chunk runs
 * while the database writes the previous one.
 */
final class RowCrypto implements AutoCloseable {
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final ColumnCodec codec;
    private final int threads;
    private final ExecutorService pool;

    RowCrypto(ColumnCodec codec, int threads) {
        this.codec = codec;
        this.threads = threads;
        int poolId = POOLS.incrementAndGet();
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "rotor-crypto-" + poolId + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Classifies every row: {@code REWRITE} (decrypted under source, new value under target), {@code UNDER_TARGET}
     * (already decrypts under target) or {@code UNDECRYPTABLE}.
     *
     * @param targetFirst try the target key first: cheaper when most rows are already under it (verification passes)
     */
    CompletableFuture<Chunk> transform(Chunk chunk, ColumnKey source, ColumnKey target, boolean targetFirst) {
        int slices = Math.min(threads, Math.max(1, chunk.size / 256));
        CompletableFuture<?>[] parts = new CompletableFuture<?>[slices];
        for (int s = 0; s < slices; s++) {
            int from = (int) ((long) chunk.size * s / slices);
            int to = (int) ((long) chunk.size * (s + 1) / slices);
            parts[s] = CompletableFuture.runAsync(() -> {
                for (int i = from; i < to; i++) {
                    row(chunk, i, source, target, targetFirst);
                }
            }, pool);
        }
        return CompletableFuture.allOf(parts).thenApply(v -> chunk);
    }

    /** Decrypts what the database returned under the target key and checks it against what was encrypted. */
    CompletableFuture<Integer> verify(Chunk chunk, int[] rows, String[] stored, int count, ColumnKey target) {
        int slices = Math.min(threads, Math.max(1, count / 256));
        CompletableFuture<?>[] parts = new CompletableFuture<?>[slices];
        int[] bad = {-1};
        for (int s = 0; s < slices; s++) {
            int from = (int) ((long) count * s / slices);
            int to = (int) ((long) count * (s + 1) / slices);
            parts[s] = CompletableFuture.runAsync(() -> {
                for (int k = from; k < to; k++) {
                    int i = rows[k];
                    if (!matches(chunk, i, stored[k], target)) {
                        synchronized (bad) {
                            bad[0] = i;
                        }
                    }
                }
            }, pool);
        }
        return CompletableFuture.allOf(parts).thenApply(v -> bad[0]);
    }

    private boolean matches(Chunk chunk, int i, String stored, ColumnKey target) {
        try {
            return java.util.Arrays.equals(codec.decrypt(target, chunk.idTexts[i], stored), chunk.plaintexts[i]);
        } catch (UndecryptableException e) {
            return false;
        }
    }

    private void row(Chunk chunk, int i, ColumnKey source, ColumnKey target, boolean targetFirst) {
        String id = chunk.idTexts[i];
        String value = chunk.values[i];
        if (targetFirst && decrypts(target, id, value)) {
            chunk.state[i] = Chunk.UNDER_TARGET;
            return;
        }
        try {
            byte[] plain = codec.decrypt(source, id, value);
            chunk.plaintexts[i] = plain;
            chunk.newValues[i] = codec.encrypt(target, id, plain);
            chunk.state[i] = Chunk.REWRITE;
        } catch (UndecryptableException e) {
            if (!targetFirst && decrypts(target, id, value)) {
                chunk.state[i] = Chunk.UNDER_TARGET;
            } else {
                chunk.state[i] = Chunk.UNDECRYPTABLE;
                chunk.reasons[i] = e.reason().text();
            }
        }
    }

    private boolean decrypts(ColumnKey key, String id, String value) {
        try {
            codec.decrypt(key, id, value);
            return true;
        } catch (UndecryptableException e) {
            return false;
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}

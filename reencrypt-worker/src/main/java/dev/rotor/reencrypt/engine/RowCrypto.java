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
     * Every new value is then verified (design §7): it must decrypt under the target key to the plaintext it came from,
     * or the row is {@code VERIFY_FAILED}. The plaintexts are wiped once verified.
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
                slice(chunk, from, to, source, target, targetFirst);
            }, pool);
        }
        return CompletableFuture.allOf(parts).thenApply(v -> chunk);
    }

    /**
     * One slice of a chunk, one key at a time: the JDK's AES-GCM re-expands the AES key whenever a Cipher is
     * initialised with a different key than last time, so alternating the source and target key per row spent about
     * half the crypto time in key expansion. Each step below runs over the whole slice under one key.
     */
    private void slice(Chunk chunk, int from, int to, ColumnKey source, ColumnKey target, boolean targetFirst) {
        String[] ids = chunk.idTexts;
        String[] values = chunk.values;
        byte[] state = chunk.state;
        if (targetFirst) {
            for (int i = from; i < to; i++) {
                if (decrypts(target, ids[i], values[i])) {
                    state[i] = Chunk.UNDER_TARGET;
                }
            }
        }
        boolean failures = false;
        for (int i = from; i < to; i++) {
            if (state[i] != Chunk.PENDING) {
                continue;
            }
            try {
                chunk.plaintexts[i] = codec.decrypt(source, ids[i], values[i]);
            } catch (UndecryptableException e) {
                state[i] = Chunk.UNDECRYPTABLE;
                chunk.reasons[i] = e.reason().text();
                failures = true;
            }
        }
        if (failures && !targetFirst) {
            for (int i = from; i < to; i++) {
                if (state[i] == Chunk.UNDECRYPTABLE && decrypts(target, ids[i], values[i])) {
                    state[i] = Chunk.UNDER_TARGET;
                    chunk.reasons[i] = null;
                }
            }
        }
        for (int i = from; i < to; i++) {
            if (state[i] == Chunk.PENDING) {
                chunk.newValues[i] = codec.reencrypt(target, ids[i], chunk.plaintexts[i], values[i]);
                state[i] = Chunk.REWRITE;
            }
        }
        // Verification (design §7), before anything is written: the exact value about to be written must decrypt under
        // the target key to the plaintext it came from. Then the database confirms it holds that value: atomic mode's
        // UPDATE returns whether each stored value equals the one sent, and an online run reads every row back in its
        // verification pass.
        for (int i = from; i < to; i++) {
            if (state[i] != Chunk.REWRITE) {
                continue;
            }
            byte[] plain = chunk.plaintexts[i];
            boolean ok;
            try {
                byte[] back = codec.decrypt(target, ids[i], chunk.newValues[i]);
                ok = java.util.Arrays.equals(back, plain);
                java.util.Arrays.fill(back, (byte) 0);
            } catch (UndecryptableException e) {
                ok = false;
            }
            java.util.Arrays.fill(plain, (byte) 0);
            chunk.plaintexts[i] = null;
            if (!ok) {
                state[i] = Chunk.VERIFY_FAILED;
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

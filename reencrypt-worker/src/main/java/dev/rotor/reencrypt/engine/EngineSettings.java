package dev.rotor.reencrypt.engine;

/**
 * Tuning that does not change the result.
 *
 * @param chunkSize rows per keyset page and per set-based write; bounds the memory
 * @param threads crypto threads (0 = one per core)
 * @param sampleSize rows per column that the pre-flight check decrypts before any write
 * @param maxOnlinePasses online passes before giving up on rows the app keeps rewriting under the old key
 */
public record EngineSettings(int chunkSize, int threads, int sampleSize, UndecryptablePolicy policy,
        int maxOnlinePasses) {
    public EngineSettings {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunk size must be at least 1");
        }
        threads = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }

    public static EngineSettings defaults() {
        return new EngineSettings(10_000, 0, 100, UndecryptablePolicy.ABORT, 5);
    }

    public EngineSettings withPolicy(UndecryptablePolicy p) {
        return new EngineSettings(chunkSize, threads, sampleSize, p, maxOnlinePasses);
    }

    public EngineSettings withChunkSize(int size) {
        return new EngineSettings(size, threads, sampleSize, policy, maxOnlinePasses);
    }
}

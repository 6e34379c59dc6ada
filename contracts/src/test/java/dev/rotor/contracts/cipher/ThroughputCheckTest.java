package dev.rotor.contracts.cipher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Prints single-thread lockbox throughput for 200-byte values, to inform; it asserts correctness, not time. For the
 * JDK-versus-Bouncy-Castle comparison and all-core figures, run {@link CodecThroughput}.
 */
class ThroughputCheckTest {

    @Test
    void printsEncryptionsPerSecondFor200ByteValues() throws UndecryptableException {
        LockboxCodec codec = Codecs.lockbox();
        ColumnKey key = new DerivedKeyCache().get(codec,
                MasterKey.fromHex(1, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"),
                "credentials", "value");
        byte[] plaintext = new byte[200];
        Arrays.fill(plaintext, (byte) 'x');

        String last = null;
        for (int i = 0; i < 20_000; i++) {
            last = codec.encrypt(key, null, plaintext);
        }
        int n = 0;
        long start = System.nanoTime();
        long deadline = start + 500_000_000L;
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < 1_000; i++) {
                last = codec.encrypt(key, null, plaintext);
            }
            n += 1_000;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("lockbox encrypt, 200-byte values, 1 thread: %,.0f values/s%n", n / seconds);

        assertThat(codec.decrypt(key, null, last)).isEqualTo(plaintext);
    }
}

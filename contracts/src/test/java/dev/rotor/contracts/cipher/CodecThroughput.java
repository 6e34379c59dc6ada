package dev.rotor.contracts.cipher;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * A benchmark, not a test: why {@link AesGcm} uses the JDK provider, and what one core and all cores do for ~200-byte
 * values. After {@code ./mvnw -B -o -pl contracts test-compile}, from {@code contracts/}:
 *
 * <pre>
 * java -cp target/classes:target/test-classes:$HOME/.m2/repository/org/bouncycastle/bcprov-jdk18on/1.81/bcprov-jdk18on-1.81.jar \
 *     dev.rotor.contracts.cipher.CodecThroughput
 * </pre>
 */
public final class CodecThroughput {
    private static final byte[] PLAINTEXT = new byte[200];
    private static final MasterKey MASTER =
            MasterKey.fromHex(1, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");

    private CodecThroughput() {
    }

    interface Op {
        void run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        Arrays.fill(PLAINTEXT, (byte) 'x');
        ColumnKey key = Codecs.lockbox().deriveKey(MASTER, "credentials", "value");
        byte[] keyBytes = key.secretKey().getEncoded();
        byte[] nonce = AesGcm.randomNonce();
        byte[] out = new byte[PLAINTEXT.length + 16];

        Cipher jdk = AesGcm.newCipher();
        report("raw AES-256-GCM seal, JDK provider", 1, () -> {
            nonce[0]++; // the JDK refuses a repeated key and nonce
            jdk.init(Cipher.ENCRYPT_MODE, key.secretKey(), new GCMParameterSpec(128, nonce));
            jdk.doFinal(PLAINTEXT, 0, PLAINTEXT.length, out, 0);
        });
        GCMModeCipher bc = GCMBlockCipher.newInstance(AESEngine.newInstance());
        KeyParameter bcKey = new KeyParameter(keyBytes);
        report("raw AES-256-GCM seal, Bouncy Castle", 1, () -> {
            nonce[0]++;
            bcSeal(bc, bcKey, nonce, out);
        });

        String stored = Codecs.lockbox().encrypt(key, null, PLAINTEXT);
        ColumnKey v1Key = Codecs.rotorV1().deriveKey(MASTER, "credentials", "value");
        String storedV1 = Codecs.rotorV1().encrypt(v1Key, "42", PLAINTEXT);
        int cores = Runtime.getRuntime().availableProcessors();
        report("lockbox encrypt", cores, () -> Codecs.lockbox().encrypt(key, null, PLAINTEXT));
        report("lockbox decrypt", cores, () -> Codecs.lockbox().decrypt(key, null, stored));
        report("lockbox decrypt + encrypt (one re-encrypted row)", cores,
                () -> Codecs.lockbox().encrypt(key, null, Codecs.lockbox().decrypt(key, null, stored)));
        report("rotor-v1 decrypt + encrypt", cores,
                () -> Codecs.rotorV1().encrypt(v1Key, "42", Codecs.rotorV1().decrypt(v1Key, "42", storedV1)));
        report("lockbox key derivation (HKDF-SHA384): what the cache saves per row", 1,
                () -> Codecs.lockbox().deriveKey(MASTER, "credentials", "value"));
    }

    private static void bcSeal(GCMModeCipher cipher, KeyParameter key, byte[] nonce, byte[] out)
            throws InvalidCipherTextException {
        cipher.init(true, new AEADParameters(key, 128, nonce));
        int n = cipher.processBytes(PLAINTEXT, 0, PLAINTEXT.length, out, 0);
        cipher.doFinal(out, n);
    }

    /** Median of three 1-second runs on one thread, then on {@code maxThreads}, after a 1-second warm-up. */
    private static void report(String what, int maxThreads, Op op) throws Exception {
        measure(maxThreads, op, 1_000_000_000L);
        StringBuilder line = new StringBuilder(String.format("%-68s", what));
        for (int threads : maxThreads > 1 ? new int[] {1, maxThreads} : new int[] {1}) {
            double[] runs = {measure(threads, op, 1_000_000_000L), measure(threads, op, 1_000_000_000L),
                    measure(threads, op, 1_000_000_000L)};
            Arrays.sort(runs);
            line.append(String.format("  %d thread(s): %,11.0f/s", threads, runs[1]));
        }
        System.out.println(line);
    }

    private static double measure(int threads, Op op, long nanos) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        long deadline = start + nanos;
        List<Future<Long>> counts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            counts.add(pool.submit(() -> {
                long n = 0;
                while (System.nanoTime() < deadline) {
                    for (int i = 0; i < 256; i++) {
                        op.run();
                    }
                    n += 256;
                }
                return n;
            }));
        }
        long total = 0;
        for (Future<Long> count : counts) {
            total += count.get();
        }
        pool.shutdown();
        return total / ((System.nanoTime() - start) / 1e9);
    }
}

package dev.rotor.local.bench;

import dev.rotor.contracts.store.LocalStoreFormat;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What one save of secret-sync's local store costs, on the same contents in the same process: the file image of
 * format 2 (the image as a BCFKS entry: three PBKDF2-HMAC-SHA512 derivations of the password per save) against that
 * of format 3 (the image sealed with AES-256-GCM under the store key read at load). Only the encoding is timed, not
 * the file write, which is the same for both. The store holds {@code secrets} secrets of three versions each, with an
 * index about the size secret-sync writes for them.
 */
@Command(name = "store-bench", description = "Time a local store save: format 2 (BCFKS entry) against format 3 "
        + "(sealed image), on the same contents.")
public final class StoreSaveBench implements Callable<Integer> {
    @Option(names = "--secrets", defaultValue = "700", description = "secrets in the store (three versions each)")
    int secrets;

    @Option(names = "--saves", defaultValue = "10", description = "saves timed per format and round")
    int saves;

    @Option(names = "--rounds", defaultValue = "3", description = "rounds; the first one includes the JIT's warm-up")
    int rounds;

    @Override
    public Integer call() throws Exception {
        SecureRandom random = new SecureRandom();
        Map<String, byte[]> materials = new LinkedHashMap<>();
        StringBuilder index = new StringBuilder("{\"secrets\":{");
        for (int i = 0; i < secrets; i++) {
            String path = "bench/" + BenchCatalog.id(i + 1);
            index.append(i == 0 ? "" : ",").append('"').append(path).append("\":{\"versions\":[");
            for (int v = 1; v <= 3; v++) {
                byte[] material = new byte[64];
                random.nextBytes(material);
                materials.put(LocalStoreFormat.versionAlias(path, v), material);
                index.append(v == 1 ? "" : ",").append("{\"version\":").append(v)
                        .append(",\"label\":\"previous\",\"createdAt\":\"2026-12-03T12:00:00.000000Z\",\"createdBy\":\"")
                        .append(java.util.UUID.randomUUID()).append("\"}");
            }
            index.append("]}");
        }
        index.append("}}");
        LocalStoreFormat.Contents contents = new LocalStoreFormat.Contents(
                index.toString().getBytes(StandardCharsets.UTF_8), materials);
        char[] password = "store-bench-password".toCharArray();
        LocalStoreFormat.StoreKey key = LocalStoreFormat.StoreKey.generate();
        System.out.printf("store: %d secrets, %d materials; %d saves per format and round%n", secrets,
                materials.size(), saves);
        for (int round = 1; round <= rounds; round++) {
            long t0 = System.nanoTime();
            int size2 = 0;
            for (int i = 0; i < saves; i++) {
                size2 = LocalStoreFormat.writeFormat2(contents, password).length;
            }
            long t1 = System.nanoTime();
            int size3 = 0;
            for (int i = 0; i < saves; i++) {
                size3 = key.seal(contents).length;
            }
            long t2 = System.nanoTime();
            double ms2 = (t1 - t0) / 1e6 / saves;
            double ms3 = (t2 - t1) / 1e6 / saves;
            System.out.printf("round %d: format 2 (baseline) %.1f ms per save (%.1f saves/s, %d bytes); "
                    + "format 3 %.2f ms per save (%.1f saves/s, %d bytes); ratio %.1fx%n", round, ms2, 1000 / ms2,
                    size2, ms3, 1000 / ms3, size3, ms2 / ms3);
        }
        key.destroy();
        return 0;
    }
}

package dev.rotor.contracts.cipher;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** No message, stack trace or toString of this package shows a master key, a column key or a plaintext. */
class NoSecretLeaksTest {
    private static final String HEX = "8f2c0b3e5d7a4916c2e8f0a1b3d5c7e9f1a3b5c7d9e1f3a5b7c9d1e3f5a7b9c1";
    private static final String OTHER_HEX = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final String PLAINTEXT = "postgres://admin:Tr0ub4dor&3@db.internal:5432/prod";

    @Test
    void failuresAndDescriptionsNameNoSecret() {
        MasterKey master = MasterKey.fromHex(1, HEX);
        MasterKey other = MasterKey.fromHex(2, OTHER_HEX);
        DerivedKeyCache cache = new DerivedKeyCache();
        ColumnKey lockboxKey = cache.get(Codecs.lockbox(), master, "credentials", "value");
        ColumnKey rotorKey = cache.get(Codecs.rotorV1(), master, "credentials", "value");
        ColumnKey wrongLockbox = Codecs.lockbox().deriveKey(other, "credentials", "value");
        ColumnKey wrongRotor = Codecs.rotorV1().deriveKey(MasterKey.fromHex(1, OTHER_HEX), "credentials", "value");
        byte[] plaintext = PLAINTEXT.getBytes(UTF_8);
        String lockboxValue = Codecs.lockbox().encrypt(lockboxKey, "1", plaintext);
        String rotorValue = Codecs.rotorV1().encrypt(rotorKey, "1", plaintext);

        List<Throwable> failures = new ArrayList<>(List.of(
                catchThrowable(() -> Codecs.lockbox().decrypt(wrongLockbox, "1", lockboxValue)),
                catchThrowable(() -> Codecs.lockbox().decrypt(lockboxKey, "1", lockboxValue.substring(4))),
                catchThrowable(() -> Codecs.lockbox().decrypt(lockboxKey, "1", "!" + lockboxValue)),
                catchThrowable(() -> Codecs.rotorV1().decrypt(wrongRotor, "1", rotorValue)),
                catchThrowable(() -> Codecs.rotorV1().decrypt(rotorKey, "2", rotorValue)),
                catchThrowable(() -> Codecs.rotorV1().decrypt(cache.get(Codecs.rotorV1(), other, "credentials",
                        "value"), "1", rotorValue)),
                catchThrowable(() -> Codecs.lockbox().encrypt(rotorKey, "1", plaintext)),
                catchThrowable(() -> MasterKey.fromHex(1, HEX + "0")),
                catchThrowable(() -> MasterKey.fromHex(1, HEX.substring(0, 40) + "z" + HEX.substring(41))),
                catchThrowable(() -> cache.get(Codecs.lockbox(), MasterKey.fromHex(1, OTHER_HEX), "credentials",
                        "value"))));
        assertThat(failures).doesNotContainNull();

        List<String> texts = new ArrayList<>();
        for (Throwable failure : failures) {
            StringWriter trace = new StringWriter();
            failure.printStackTrace(new PrintWriter(trace));
            texts.add(trace.toString());
        }
        texts.addAll(List.of(master.toString(), lockboxKey.toString(), rotorKey.toString(), cache.toString(),
                Codecs.lockbox().toString(), Codecs.rotorV1().toString()));

        List<String> secrets = List.of(HEX, HEX.toUpperCase(), OTHER_HEX, PLAINTEXT, "Tr0ub4dor",
                HexFormat.of().formatHex(lockboxKey.secretKey().getEncoded()),
                Base64.getEncoder().encodeToString(lockboxKey.secretKey().getEncoded()),
                HexFormat.of().formatHex(rotorKey.secretKey().getEncoded()));
        for (String text : texts) {
            for (String secret : secrets) {
                assertThat(text).doesNotContainIgnoringCase(secret);
            }
            // Not even a long run of the key's hex digits.
            for (int i = 0; i + 8 <= HEX.length(); i++) {
                assertThat(text).doesNotContainIgnoringCase(HEX.substring(i, i + 8));
            }
        }
    }
}

package dev.rotor.contracts.cipher;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fernet codec against the real library: Python's {@code cryptography} (Debian's python3-cryptography, which
 * {@code .ci/install-loaders} installs), run as {@code /usr/bin/python3 -c <cipher/fernet-interop.py>}. Skipped when
 * {@code import cryptography} fails; {@link KnownAnswerTest} checks committed tokens from the same library always.
 */
class FernetPythonInteropTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Debian's interpreter, where python3-cryptography installs. */
    private static final String PYTHON = "/usr/bin/python3";
    private static final String OLD_KEY = "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=";
    private static final String NEW_KEY = "Yl3GvX3r8xXh0H6b8XGm1ePj7m2rJ2m6aXQx0b1k9sQ=";
    private static final List<byte[]> PLAINTEXTS = List.of(new byte[0], "hello, django".getBytes(UTF_8),
            "clé 🔑 ключ 鍵".getBytes(UTF_8), binary(1024));

    private final FernetCodec codec = Codecs.fernet();
    private final ColumnKey oldKey = codec.deriveKey(codec.readMasterKey(1, OLD_KEY), "accounts", "token");
    private final ColumnKey newKey = codec.deriveKey(codec.readMasterKey(2, NEW_KEY), "accounts", "token");

    @BeforeAll
    static void needsPythonCryptography() throws InterruptedException {
        int exit;
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import cryptography.fernet").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            exit = p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (IOException e) {
            exit = -1;
        }
        Assumptions.assumeTrue(exit == 0, "python3 with cryptography is not installed (.ci/install-loaders)");
    }

    @Test
    void decryptsWhatPythonEncrypts() throws Exception {
        List<String> tokens = strings(python(Map.of("op", "encrypt", "keys", List.of(OLD_KEY),
                "plaintextsHex", hex(PLAINTEXTS))).get("tokens"));

        assertThat(tokens).hasSize(PLAINTEXTS.size());
        for (int i = 0; i < tokens.size(); i++) {
            assertThat(codec.decrypt(oldKey, "row", tokens.get(i))).isEqualTo(PLAINTEXTS.get(i));
        }
    }

    @Test
    void pythonDecryptsWhatTheCodecEncryptsAndMultiFernetReadsBothKeys() throws Exception {
        List<String> tokens = new ArrayList<>();
        for (byte[] plaintext : PLAINTEXTS) {
            tokens.add(codec.encrypt(newKey, "row", plaintext));
        }
        for (byte[] plaintext : PLAINTEXTS) {
            tokens.add(codec.encrypt(oldKey, "row", plaintext));
        }

        List<String> alone = decryptInPython(List.of(NEW_KEY), tokens.subList(0, PLAINTEXTS.size()));
        List<String> grace = decryptInPython(List.of(NEW_KEY, OLD_KEY), tokens);

        assertThat(alone).isEqualTo(hex(PLAINTEXTS));
        List<String> both = new ArrayList<>(hex(PLAINTEXTS));
        both.addAll(hex(PLAINTEXTS));
        assertThat(grace).isEqualTo(both);
    }

    @Test
    void reencryptsPythonTokensFromTheOldKeyToTheNewOneThatPythonThenReads() throws Exception {
        List<String> old = strings(python(Map.of("op", "encrypt", "keys", List.of(OLD_KEY),
                "plaintextsHex", hex(PLAINTEXTS))).get("tokens"));
        List<String> reencrypted = new ArrayList<>();
        for (String token : old) {
            reencrypted.add(codec.encrypt(newKey, "row", codec.decrypt(oldKey, "row", token)));
        }

        assertThat(decryptInPython(List.of(NEW_KEY), reencrypted)).isEqualTo(hex(PLAINTEXTS));
        assertThat(reencrypted).allSatisfy(t -> assertThat(codec.isUnder(oldKey, null, t)).isFalse());
    }

    private List<String> decryptInPython(List<String> keys, List<String> tokens) throws Exception {
        return strings(python(Map.of("op", "decrypt", "keys", keys, "tokens", tokens)).get("plaintextsHex"));
    }

    private static JsonNode python(Map<String, Object> request) throws Exception {
        String script;
        try (InputStream in = FernetPythonInteropTest.class.getResourceAsStream("/cipher/fernet-interop.py")) {
            script = new String(in.readAllBytes(), UTF_8);
        }
        Process p = new ProcessBuilder(PYTHON, "-c", script).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (OutputStream out = p.getOutputStream()) {
            out.write(JSON.writeValueAsBytes(request));
        }
        byte[] answer = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("python3 finished").isTrue();
        assertThat(p.exitValue()).as("python3 exit status").isZero();
        return JSON.readTree(answer);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<String> hex(List<byte[]> values) {
        return values.stream().map(HexFormat.of()::formatHex).toList();
    }

    private static byte[] binary(int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = (byte) (i * 131 + 7);
        }
        return out;
    }
}

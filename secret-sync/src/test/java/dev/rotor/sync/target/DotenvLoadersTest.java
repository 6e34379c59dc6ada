package dev.rotor.sync.target;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes every test value through {@link EnvFile} and reads the file back with the loaders apps really use: Node's
 * dotenv 16 and 17 from npm, python-dotenv from Debian, and bash's {@code set -a; source}. Each must read the exact
 * bytes. (Docker Compose, which is not installed, is checked against its documented rules in DotenvValuesTest.)
 */
class DotenvLoadersTest {
    private static final String PREFIX = "ROTOR_T";

    @TempDir
    Path dir;
    private Path file;
    private final Map<String, String> expected = new LinkedHashMap<>();

    @BeforeEach
    void writeEveryValueThroughTheRealCode() throws Exception {
        file = Files.writeString(dir.resolve(".env"), "# by hand\n" + PREFIX + "0=old # replaced\nexport "
                + PREFIX + "1=\"old\"\n");
        EnvFile env = EnvFile.read(file);
        List<String> values = DotenvTestValues.portable();
        for (int i = 0; i < values.size(); i++) {
            env.set(PREFIX + i, values.get(i));
            expected.put(PREFIX + i, values.get(i));
        }
        env.save();
    }

    @Test
    void pythonDotenvReadsBackTheExactBytes() {
        assertReadsBack("python-dotenv", RealLoaders.python(file));
    }

    @Test
    void nodeDotenv16ReadsBackTheExactBytes() {
        assertReadsBack("dotenv16", RealLoaders.node("dotenv16", file));
    }

    @Test
    void nodeDotenv17ReadsBackTheExactBytes() {
        assertReadsBack("dotenv17", RealLoaders.node("dotenv17", file));
    }

    @Test
    void bashSourceReadsBackTheExactBytes() {
        assertReadsBack("bash", RealLoaders.bash(file, List.copyOf(expected.keySet())));
    }

    /** What the loaders do with the renderings we refuse: the reason each refusal exists. */
    @Test
    void theRefusedValuesReallyBreakALoader() throws Exception {
        Path hand = Files.writeString(dir.resolve("hand.env"), """
                A='${HOME}'
                B='two\\\\b'
                C=two\\\\b
                D="two\\\\b"
                """);
        assertThat(RealLoaders.python(hand)).containsEntry("A", hex(System.getProperty("user.home")))
                .containsEntry("B", hex("two\\b"));
        assertThat(RealLoaders.bash(hand, List.of("C"))).containsEntry("C", hex("two\\b"));
        assertThat(RealLoaders.node("dotenv16", hand)).containsEntry("D", hex("two\\\\b"));
    }

    private void assertReadsBack(String loader, Map<String, String> read) {
        Map<String, String> lines = renderedLines();
        SoftAssertions soft = new SoftAssertions();
        expected.forEach((name, value) -> soft.assertThat(read.get(name))
                .as("%s reads %s, written as %s", loader, name, lines.get(name)).isEqualTo(hex(value)));
        soft.assertAll();
    }

    private Map<String, String> renderedLines() {
        try {
            Map<String, String> lines = new LinkedHashMap<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String name = line.replaceFirst("^(export )?([A-Z_0-9]+)=.*", "$2");
                lines.put(name, line);
            }
            return lines;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String hex(String value) {
        return HexFormat.of().formatHex(value.getBytes(StandardCharsets.UTF_8));
    }
}

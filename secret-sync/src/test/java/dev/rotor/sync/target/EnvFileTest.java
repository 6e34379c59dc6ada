package dev.rotor.sync.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotor.contracts.catalog.TargetSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvFileTest {
    private static final String ORIGINAL = """
            # app settings
            APP_NAME="my app"   
            export JWT_SECRET=old-secret # rotated by rotor

            PORT=3000
            """;

    @TempDir
    Path dir;

    private EnvFileTarget target(Path file) {
        return EnvFileTarget.of(new TargetSpec("env-file", file.toString(), "JWT_SECRET",
                "JWT_SECRET_PREVIOUS", null));
    }

    @Test
    void rewritesOnlyItsLinesAndKeepsCommentsOrderAndMode() throws Exception {
        Path file = Files.writeString(dir.resolve(".env"), ORIGINAL);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        EnvFileTarget t = target(file);
        assertThat(t.currentValue()).contains("old-secret");

        t.write(LineChange.set("new secret #1 \"q\" $HOME"), LineChange.set("old-secret"));

        assertThat(Files.readString(file)).isEqualTo("""
                # app settings
                APP_NAME="my app"   
                export JWT_SECRET='new secret #1 "q" $HOME'

                PORT=3000
                JWT_SECRET_PREVIOUS=old-secret
                """);
        assertThat(t.currentValue()).contains("new secret #1 \"q\" $HOME");
        assertThat(t.previousValue()).contains("old-secret");
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-r-----"));
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void writingTheSameValuesTwiceChangesNothing() throws Exception {
        Path file = Files.writeString(dir.resolve(".env"), ORIGINAL);
        EnvFileTarget t = target(file);
        t.write(LineChange.set("abc+/="), LineChange.set("old-secret"));
        String once = Files.readString(file);
        var modified = Files.getLastModifiedTime(file);
        Thread.sleep(20);
        t.write(LineChange.set("abc+/="), LineChange.set("old-secret"));
        assertThat(Files.readString(file)).isEqualTo(once).contains("export JWT_SECRET=abc+/=\n");
        assertThat(Files.getLastModifiedTime(file)).isEqualTo(modified);
    }

    @Test
    void clearingKeepsAnEmptyLineAndLeavesAnAbsentOneAbsent() throws Exception {
        Path file = Files.writeString(dir.resolve(".env"), "JWT_SECRET=a\r\nJWT_SECRET_PREVIOUS=b\r\n");
        target(file).write(LineChange.keep(), LineChange.clear());
        assertThat(Files.readString(file)).isEqualTo("JWT_SECRET=a\r\nJWT_SECRET_PREVIOUS=\r\n");

        Path other = Files.writeString(dir.resolve("other.env"), "JWT_SECRET=a");
        target(other).write(LineChange.keep(), LineChange.clear());
        assertThat(Files.readString(other)).isEqualTo("JWT_SECRET=a");
        target(other).write(LineChange.restore(null), LineChange.keep());
        assertThat(Files.readString(other)).isEmpty();
    }

    @Test
    void valuesRoundTripThroughQuoting() {
        for (String v : List.of("plain", "", "with space", "a#b", "it's", "x\"y", "back\\slash", "$VAR", "  padded  ",
                "=+/")) {
            assertThat(DotenvValues.parse(DotenvValues.render(v).orElseThrow())).as(v).isEqualTo(v);
        }
        assertThat(DotenvValues.render("multi\nline")).isEmpty();
        assertThat(DotenvValues.parse("'single # quoted' # c")).isEqualTo("single # quoted");
        assertThat(DotenvValues.parse(" bare # comment")).isEqualTo("bare");
    }

    @Test
    void aValueNoRenderingCarriesIsRefusedBeforeAnythingIsWritten() throws Exception {
        Path file = Files.writeString(dir.resolve(".env"), ORIGINAL);
        var modified = Files.getLastModifiedTime(file);
        String value = "it's $5 \\";

        assertThatThrownBy(() -> target(file).write(LineChange.set("fine-value"), LineChange.set(value)))
                .isInstanceOfSatisfying(UnportableValueException.class, e -> {
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.variable()).isEqualTo("JWT_SECRET_PREVIOUS");
                })
                .hasMessage("env file " + file + ": the value for JWT_SECRET_PREVIOUS cannot be written so that every"
                        + " dotenv loader (Node dotenv, python-dotenv, Docker Compose, a shell's source) reads it back"
                        + " exactly: it ends with a backslash, which escapes the closing quote under Docker Compose's"
                        + " rules and continues the line in a shell")
                .message().doesNotContain(value).doesNotContain("$5");
        assertThat(Files.readString(file)).isEqualTo(ORIGINAL);
        assertThat(Files.getLastModifiedTime(file)).isEqualTo(modified);
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void aMissingFileOrUnsupportedTargetIsNamedWithoutValues() {
        Path missing = dir.resolve("missing.env");
        assertThatThrownBy(() -> target(missing).currentValue()).isInstanceOf(TargetException.class)
                .hasMessage("env file " + missing + " does not exist");
        assertThatThrownBy(() -> Targets.of(List.of(new TargetSpec("vault-kv", "secret/x", null, null, "f")),
                java.util.Optional.empty()))
                .hasMessage("target type 'vault-kv' needs rotor.sync.vault.address (env ROTOR_SYNC_VAULT_ADDRESS)");
        assertThatThrownBy(() -> Targets.of(List.of(new TargetSpec("s3", "x", null, null, "f")),
                java.util.Optional.empty()))
                .hasMessage("target type 's3' is not supported (env-file, vault-kv)");
    }

    @Test
    void aPathThatCanNeverWorkIsRefusedForGoodAndAPassingFailureIsRetried() throws Exception {
        assertThatThrownBy(() -> EnvFile.read(dir.resolve("x".repeat(300) + ".env")))
                .isInstanceOf(TargetException.class).hasMessageContaining("File name too long")
                .satisfies(e -> assertThat(((TargetException) e).retryable()).isFalse());
        assertThatThrownBy(() -> EnvFile.read(dir))
                .isInstanceOf(TargetException.class).hasMessageContaining("is a directory")
                .satisfies(e -> assertThat(((TargetException) e).retryable()).isFalse());
        Path file = Files.writeString(dir.resolve("plain"), "A=1\n");
        assertThatThrownBy(() -> EnvFile.read(file.resolve("under-a-file.env")))
                .isInstanceOf(TargetException.class)
                .satisfies(e -> assertThat(((TargetException) e).retryable()).isFalse());
        assertThat(EnvFile.permanent(new java.nio.file.FileSystemException("x", null, "No space left on device")))
                .isFalse();
    }
}

package dev.rotor.local.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The demo table's database password never travels as a process argument. */
class DemoTableCommandTest {
    @TempDir
    Path dir;

    @Test
    void aPasswordOnTheCommandLineIsRefused() {
        assertThatThrownBy(() -> new CommandLine(new DemoTableCommand()).parseArgs("seed", "--jdbc-url",
                "jdbc:postgresql://127.0.0.1/tooljet", "--env-file", "app.env", "--password", "pw"))
                .isInstanceOf(CommandLine.UnmatchedArgumentException.class).hasMessageContaining("--password");
    }

    @Test
    void thePasswordComesFromTheEnvironmentOrAnOwnerOnlyFile() throws Exception {
        DemoTableCommand command = new DemoTableCommand();
        assertThat(command.password(null)).isEqualTo("postgres");
        assertThat(command.password("from-env")).isEqualTo("from-env");

        Path file = Files.createFile(dir.resolve("pg.password"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, "from-file\n");
        new CommandLine(command).parseArgs("seed", "--jdbc-url", "jdbc:postgresql://127.0.0.1/tooljet", "--env-file",
                "app.env", "--password-file", file.toString());
        assertThat(command.password("from-env")).isEqualTo("from-file");

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> command.password(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--password-file " + file + " is readable by others (rw-r--r--): make it 0600");
    }
}

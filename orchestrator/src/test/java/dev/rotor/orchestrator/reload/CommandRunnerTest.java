package dev.rotor.orchestrator.reload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.contracts.messages.Direction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command reloader against real scripts: what it passes, what it keeps out, and a hang killed at its timeout. */
class CommandRunnerTest {
    private static final UUID ROTATION = UUID.fromString("7b0d6f55-2a56-4a38-9a5f-3d0c5a1e9c11");
    @TempDir
    Path dir;

    private Path script(String name, String body) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p;
    }

    @Test
    void runsTheArgvWithoutAShellInACleanEnvironment() throws Exception {
        Path calls = dir.resolve("calls.txt");
        Path recorder = script("record.sh", """
                for a in "$@"; do printf 'arg:%s\\n' "$a"; done >> "$CALLS"
                env | sort >> "$CALLS"
                echo "output is discarded: $*"
                """);
        Outcome outcome = new CommandRunner().run(
                List.of(recorder.toString(), "restart", "api worker", "$HOME", "*"),
                Map.of("CALLS", calls.toString(), "COMPOSE_PROJECT_NAME", "breeze"),
                new ReloadTarget(ROTATION, "jwt-secret", 7, Direction.FORWARD, 1), Duration.ofSeconds(10));

        assertThat(outcome).isEqualTo(Outcome.ok("command record.sh exited 0"));
        List<String> lines = Files.readAllLines(calls);
        assertThat(lines.subList(0, 4)).as("each argument as given: no splitting, expansion or globbing")
                .containsExactly("arg:restart", "arg:api worker", "arg:$HOME", "arg:*");
        List<String> env = lines.subList(4, lines.size()).stream().map(l -> l.substring(0, l.indexOf('=')))
                .filter(n -> !List.of("PWD", "SHLVL", "_", "OLDPWD").contains(n)).toList();
        assertThat(env).containsExactlyInAnyOrder("CALLS", "COMPOSE_PROJECT_NAME", "HOME", "PATH",
                "ROTOR_DIRECTION", "ROTOR_KEY_VERSION", "ROTOR_ROTATION_ID", "ROTOR_SECRET_ID");
        assertThat(lines).contains("COMPOSE_PROJECT_NAME=breeze", "ROTOR_KEY_VERSION=7", "ROTOR_DIRECTION=FORWARD",
                "ROTOR_SECRET_ID=jwt-secret", "ROTOR_ROTATION_ID=" + ROTATION, "PATH=" + System.getenv("PATH"));
    }

    @Test
    void aFailingCommandIsRetryableAndNamesOnlyTheProgramAndExitCode() throws Exception {
        Path failing = script("fail.sh", "echo 'value=hunter2' >&2\nexit 3\n");
        Outcome outcome = new CommandRunner().run(List.of(failing.toString(), "--token=abc"), Map.of(),
                new ReloadTarget(ROTATION, "s", 2, Direction.COMPENSATE, 1), Duration.ofSeconds(10));
        assertThat(outcome).isEqualTo(Outcome.retryable("command fail.sh exited 3"));
        assertThat(new CommandRunner().run(List.of(dir.resolve("missing").toString()), Map.of(),
                new ReloadTarget(ROTATION, "s", 2, Direction.FORWARD, 1), Duration.ofSeconds(10)))
                .isEqualTo(Outcome.refused("command missing could not start: IOException"));
    }

    @Test
    void aCommandThatHangsIsKilledAtItsTimeoutWithTheProcessesItStarted() throws Exception {
        Path pids = dir.resolve("pids");
        Path hang = script("hang.sh", "sleep 300 &\necho $! > " + pids + "\nwait\n");
        long started = System.nanoTime();
        Outcome outcome = new CommandRunner().run(List.of(hang.toString()), Map.of(),
                new ReloadTarget(ROTATION, "s", 2, Direction.FORWARD, 1), Duration.ofSeconds(2));
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertThat(outcome).isEqualTo(Outcome.retryable("command hang.sh killed after its timeout of 2s"));
        assertThat(took).isBetween(1900L, 8000L);
        long child = Long.parseLong(Files.readString(pids).trim());
        Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> ProcessHandle.of(child).map(h -> !h.isAlive()).orElse(true));
    }
}

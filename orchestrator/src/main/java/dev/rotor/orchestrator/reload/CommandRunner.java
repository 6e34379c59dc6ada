package dev.rotor.orchestrator.reload;

import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@code command} reloader or drain: the argv as given, with no shell (so no word splitting, globbing or
 * expansion), in an environment that starts empty. It gets {@code PATH} and {@code HOME} from the orchestrator (so
 * {@code docker} or {@code systemctl} are found and read their own configuration), then the catalog's {@code env},
 * then {@code ROTOR_ROTATION_ID}, {@code ROTOR_SECRET_ID}, {@code ROTOR_DIRECTION} and {@code ROTOR_KEY_VERSION}.
 * Nothing else of the orchestrator's environment is passed on: it holds the database password and the signing key.
 * Output is discarded (a script may print what it read); the message names the program and the exit code only. A
 * command still running at its timeout is killed, with the processes it started.
 */
public final class CommandRunner {
    private static final List<String> INHERITED = List.of("PATH", "HOME");

    public Outcome run(List<String> argv, Map<String, String> env, ReloadTarget target, Duration timeout) {
        String what = "command " + new File(argv.get(0)).getName();
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectInput(ProcessBuilder.Redirect.from(
                        new File("/dev/null")));
        Map<String, String> environment = builder.environment();
        environment.clear();
        for (String name : INHERITED) {
            String value = System.getenv(name);
            if (value != null) {
                environment.put(name, value);
            }
        }
        environment.putAll(env);
        environment.put("ROTOR_ROTATION_ID", target.rotationId().toString());
        environment.put("ROTOR_SECRET_ID", target.secretId());
        environment.put("ROTOR_DIRECTION", target.direction().name());
        environment.put("ROTOR_KEY_VERSION", target.version() == null ? "" : String.valueOf(target.version()));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            // Not found or not executable: a retry cannot fix the catalog.
            return Outcome.refused(what + " could not start: " + e.getClass().getSimpleName());
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
                return Outcome.retryable(what + " killed after its timeout of " + timeout.toSeconds() + "s");
            }
            int exit = process.exitValue();
            return exit == 0 ? Outcome.ok(what + " exited 0")
                    : Outcome.retryable(what + " exited " + exit);
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            return Outcome.retryable(what + " interrupted");
        }
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.rotor.sync.target;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The dotenv loaders that apps really use, run as child processes. Each returns what it read as {@code NAME -> hex
 * of the UTF-8 bytes}, so no output encoding can blur a difference. {@code .ci/install-loaders} installs them: a
 * missing one skips the test, or fails it when {@code CI=true}.
 */
final class RealLoaders {
    static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final String PYTHON_SCRIPT = """
            import sys, dotenv
            for k, v in dotenv.dotenv_values(sys.argv[1]).items():
                print(k + "=" + ("" if v is None else v.encode("utf-8").hex()))
            """;
    private static final String NODE_SCRIPT = """
            const parsed = require(process.argv[1]).parse(require('fs').readFileSync(process.argv[2]));
            for (const [k, v] of Object.entries(parsed)) console.log(k + '=' + Buffer.from(v, 'utf8').toString('hex'));
            """;
    private static final String BASH_SCRIPT = """
            set -a; source "$1"; shift
            for n in "$@"; do printf '%s=' "$n"; printf %s "${!n}" | od -An -v -tx1 | tr -d ' \\n'; echo; done
            """;

    private RealLoaders() {
    }

    /** Where {@code .ci/install-loaders} puts Node's dotenv ({@code ROTOR_NODE_DOTENV_DIR} overrides it). */
    static Path nodeDir() {
        String dir = System.getenv("ROTOR_NODE_DOTENV_DIR");
        return dir != null && !dir.isBlank() ? Path.of(dir)
                : Path.of(System.getProperty("user.home"), ".cache", "rotor", "node-dotenv");
    }

    /** python-dotenv as Debian packages it, for the system's Python. */
    static Map<String, String> python(Path file) {
        require(Files.isExecutable(PYTHON) && run(List.of(PYTHON.toString(), "-c", "import dotenv")).ok(),
                "python-dotenv (Debian package python3-dotenv, for " + PYTHON + ")");
        return run(List.of(PYTHON.toString(), "-c", PYTHON_SCRIPT, file.toString())).values("python-dotenv");
    }

    /** Node's dotenv from npm, installed under the alias {@code pkg} (dotenv16, dotenv17). */
    static Map<String, String> node(String pkg, Path file) {
        Path dir = nodeDir().resolve("node_modules").resolve(pkg);
        require(Files.isRegularFile(dir.resolve("package.json")) && run(List.of("node", "--version")).ok(),
                "node and npm's dotenv as " + pkg + " in " + nodeDir());
        return run(List.of("node", "-e", NODE_SCRIPT, dir.toString(), file.toString())).values(pkg);
    }

    /** {@code set -a; source FILE} in bash. */
    static Map<String, String> bash(Path file, List<String> names) {
        List<String> command = new ArrayList<>(List.of("bash", "-c", BASH_SCRIPT, "bash", file.toString()));
        command.addAll(names);
        return run(command).values("bash");
    }

    private static void require(boolean present, String what) {
        String message = what + " is not installed; run .ci/install-loaders";
        if ("true".equals(System.getenv("CI"))) {
            if (!present) {
                fail(message + " (CI=true, so the real loaders are required)");
            }
        } else {
            Assumptions.assumeTrue(present, message);
        }
    }

    private static Output run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File(
                    "/dev/null"))).start();
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Output(-1, "", "timed out");
            }
            return new Output(p.exitValue(), new String(out, StandardCharsets.UTF_8),
                    new String(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Output(-1, "", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private record Output(int exit, String out, String err) {
        boolean ok() {
            return exit == 0;
        }

        Map<String, String> values(String loader) {
            if (!ok() || !err.isBlank()) {
                fail(loader + " exited with " + exit + " and said: " + err);
            }
            Map<String, String> values = new LinkedHashMap<>();
            for (String line : out.split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    values.put(line.substring(0, eq), line.substring(eq + 1).strip());
                }
            }
            return values;
        }
    }
}

package dev.rotor.systemtests;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One Rotor service as a real operating-system process: {@code java -jar <module>/target/quarkus-app/quarkus-run.jar}. */
final class ServiceProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final String name;
    final int port;
    /** The management interface's port (health, metrics, OpenAPI), a free one of its own. */
    final int managementPort;
    final Path log;
    private final Path jar;
    private final String module;
    private final Map<String, String> env;
    private Process process;
    private Path dumping;

    ServiceProcess(String name, Path repo, int port, Path logDir, Map<String, String> env) {
        this(name, name, repo, port, logDir, env);
    }

    /** Another instance of {@code module}'s service, called {@code name} (its log is {@code <name>.log}). */
    ServiceProcess(String name, String module, Path repo, int port, Path logDir, Map<String, String> env) {
        this.name = name;
        this.port = port;
        try {
            this.managementPort = RotorSystem.freePort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        this.module = module;
        this.jar = repo.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        this.log = logDir.resolve(name + ".log");
        this.env = env;
    }

    void start() throws IOException {
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: package the services first (./mvnw verify does)");
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        // Quick to start; a benchmark gives its own options (ROTOR_TEST_JAVA_OPTS in the service's environment).
        List<String> command = new java.util.ArrayList<>(List.of(java));
        command.addAll(List.of(env.getOrDefault("ROTOR_TEST_JAVA_OPTS",
                "-Xmx192m -XX:+UseSerialGC -XX:TieredStopAtLevel=1").split(" ")));
        command.addAll(classDataSharing());
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        pb.environment().put("QUARKUS_MANAGEMENT_PORT", String.valueOf(managementPort));
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        process = pb.start();
        RUNNING.add(process);
    }

    /**
     * Every service process this test JVM started and has not seen stop: killed when the JVM exits, so a test that
     * died without closing its system (a fork that timed out, an error in a constructor) leaves no service running
     * in the consumer groups of whatever runs next on this machine.
     */
    private static final java.util.Set<Process> RUNNING = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(p -> p.destroyForcibly()),
                "service-process-reaper"));
    }

    /**
     * A dynamic class-data archive per module, which cuts each later start of that module by a quarter: the first
     * instance of a module in this test JVM writes one when it exits ({@code -XX:ArchiveClassesAtExit}, to a file of
     * its own, moved into place once it is complete, so parallel test forks never read a half-written one); every
     * later start maps it. Only for the tests' quick starts: a benchmark's own options (ROTOR_TEST_JAVA_OPTS) get none.
     */
    private List<String> classDataSharing() throws IOException {
        if (env.containsKey("ROTOR_TEST_JAVA_OPTS")) {
            return List.of();
        }
        Path archive = archive();
        if (Files.exists(archive)) {
            return List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto");
        }
        if (!name.equals(module) || !DUMPING.add(module)) {
            return List.of();
        }
        dumping = archive.resolveSibling(archive.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        return List.of("-XX:ArchiveClassesAtExit=" + dumping);
    }

    private Path archive() throws IOException {
        return Files.createDirectories(jar.getParent().getParent().resolve("cds")).resolve("system-tests.jsa");
    }

    /** Moves a finished archive into place (a killed process leaves none, or a partial one, which is dropped). */
    private void publishArchive() {
        if (dumping == null) {
            return;
        }
        try {
            if (process.exitValue() == 0 || process.exitValue() == 143) {
                Files.move(dumping, archive(), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException | IllegalThreadStateException notWritten) {
            // the next build writes one
        } finally {
            try {
                Files.deleteIfExists(dumping);
            } catch (IOException ignored) {
                // in target/, cleaned with it
            }
            dumping = null;
        }
    }

    private static final java.util.Set<String> DUMPING = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Waits until {@code /q/health/ready} answers 200 on the management port, failing early if the process died. */
    void awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(managementUrl("/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(name + " not ready after " + timeout + "; see " + log);
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    URI managementUrl(String path) {
        return URI.create("http://127.0.0.1:" + managementPort + path);
    }

    String logText() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** The process id, as the service reports itself (for example in rotor.reencrypt_chunks' worker column). */
    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** {@code kill -9}: no shutdown hook, no flush, as a crash. */
    void kill9() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        if (process != null && !process.isAlive()) {
            RUNNING.remove(process);
        }
    }

    /** Asks the process to stop (SIGTERM: Quarkus shuts down gracefully) without waiting for it. */
    void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (process != null && !process.isAlive()) {
            RUNNING.remove(process);
            publishArchive();
        }
    }
}

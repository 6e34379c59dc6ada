package dev.rotor.local.cli;

import dev.rotor.local.auth.LocalAuth;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Prints a rotation's report ({@code GET /api/rotations/{id}/report}) as Markdown, or as JSON with {@code --json}.
 * The token is ROTOR_TOKEN, or a one-minute viewer token from the local issuer.
 */
@Command(name = "report", description = "Print a rotation's report (Markdown; --json for JSON).")
public final class ReportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ID", description = "the rotation id")
    String id;

    @Option(names = "--json", description = "JSON instead of Markdown")
    boolean json;

    @Option(names = "--url", defaultValue = "http://127.0.0.1:8080", description = "the orchestrator")
    URI orchestrator;

    @Option(names = "--home", required = true, description = "ROTOR_HOME, whose local issuer signs the token")
    Path home;

    PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        String given = System.getenv("ROTOR_TOKEN");
        String token = given != null && !given.isBlank() ? given.strip()
                : LocalAuth.open(home.resolve("auth")).mint("cli:" + System.getProperty("user.name", "local"),
                        List.of("viewer"), Duration.ofMinutes(1));
        HttpResponse<String> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(
                HttpRequest.newBuilder(orchestrator.resolve("/api/rotations/" + id + "/report"))
                        .header("Accept", json ? "application/json" : "text/markdown")
                        .header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            out.println("refused (" + r.statusCode() + "): " + r.body());
            return 1;
        }
        out.print(r.body());
        if (!r.body().endsWith("\n")) {
            out.println();
        }
        return 0;
    }
}

package dev.rotor.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotor.local.auth.LocalAuth;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code rotor rotate SECRET}: asks the orchestrator for a rotation and follows it step by step. Exits 0 only when the
 * rotation ends COMPLETED, so scripts can rely on it.
 */
@Command(name = "rotate", description = "Rotate a secret through the orchestrator's REST API and follow it.")
public final class RotateCommand implements Callable<Integer> {
    static final int COMPLETED = 0;
    static final int NOT_COMPLETED = 1;
    static final int REFUSED = 2;
    static final int TIMED_OUT = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(index = "0", paramLabel = "SECRET", description = "the catalog id of the secret")
    String secretId;

    @Option(names = "--emergency", description = "an incident: use the emergency strategy and mark it urgent")
    boolean emergency;

    @Option(names = "--reason", description = "why, for the audit log and the notifications")
    String reason;

    @Option(names = "--dry-run", description = "re-encrypting plans only: the full decrypt and encrypt pass, no writes")
    boolean dryRun;

    @Option(names = "--override-backup-check", paramLabel = "REASON",
            description = "skip the entry's reencrypt.backup-check; the reason is recorded in the audit log"
                    + " (needs the responder role)")
    String backupCheckOverride;

    @Option(names = "--url", defaultValue = "http://127.0.0.1:8080", description = "the orchestrator")
    URI orchestrator;

    @Option(names = "--timeout", defaultValue = "600", description = "seconds to follow the rotation")
    long timeoutSeconds;

    @Option(names = "--home", required = true,
            description = "ROTOR_HOME: the command signs its own short-lived token with the local issuer there")
    Path home;

    /** The token's lifetime: enough to follow a long rotation, short enough to be worthless once it ends. */
    static final Duration TOKEN_TTL = Duration.ofMinutes(15);
    private String bearer;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        bearer = "Bearer " + token();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("secretId", secretId);
        body.put("trigger", emergency ? "EMERGENCY" : "MANUAL");
        if (reason != null) {
            body.put("reason", reason);
        }
        if (backupCheckOverride != null) {
            body.put("backupCheckOverride", backupCheckOverride);
        }
        if (dryRun) {
            body.put("dryRun", true);
        }
        HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(orchestrator.resolve("/api/rotations"))
                .header("Content-Type", "application/json").header("Authorization", bearer)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (accepted.statusCode() != 202) {
            out.println("refused (" + accepted.statusCode() + "): " + problem(accepted.body()));
            return REFUSED;
        }
        String id = JSON.readTree(accepted.body()).get("id").asText();
        return follow(id);
    }

    /**
     * ROTOR_TOKEN when the services trust an outside issuer; else a token signed by the local issuer: responder for
     * an emergency, operator for a planned rotation or a dry run.
     */
    private String token() {
        String given = System.getenv("ROTOR_TOKEN");
        if (given != null && !given.isBlank()) {
            return given.strip();
        }
        String role = emergency ? "responder" : "operator";
        return LocalAuth.open(home.resolve("auth")).mint("cli:" + System.getProperty("user.name", "local"),
                List.of(role), Duration.ofSeconds(timeoutSeconds).plus(TOKEN_TTL));
    }

    private int follow(String id) throws Exception {
        RotationView view = new RotationView(out);
        long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(orchestrator.resolve("/api/rotations/" + id))
                    .header("Authorization", bearer).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                JsonNode rotation = JSON.readTree(r.body());
                view.show(rotation);
                String state = rotation.path("state").asText();
                if (state.equals("COMPLETED")) {
                    return COMPLETED;
                }
                if (state.equals("ROLLED_BACK") || state.equals("FAILED")) {
                    return NOT_COMPLETED;
                }
            }
            Thread.sleep(250);
        }
        out.println("rotation " + id + " still running after " + timeoutSeconds + " s; follow it with GET "
                + orchestrator.resolve("/api/rotations/" + id));
        return TIMED_OUT;
    }

    private static String problem(String body) {
        try {
            JsonNode p = JSON.readTree(body);
            String detail = p.path("detail").asText("");
            return p.path("title").asText("error") + (detail.isEmpty() ? "" : ": " + detail);
        } catch (Exception notJson) {
            return body;
        }
    }
}

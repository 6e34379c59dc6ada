package dev.rotor.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;

/** Prints a rotation's progress as it changes: the state, then each step's status, one line per change. */
final class RotationView {
    private final PrintStream out;
    private final Map<String, String> seen = new HashMap<>();
    private String state;
    private boolean headerShown;
    private long lastProgressDone = -1;
    private long lastProgressAt;

    RotationView(PrintStream out) {
        this.out = out;
    }

    void show(JsonNode r) {
        if (!headerShown) {
            out.printf("rotation %s of %s (strategy %s, trigger %s)%n", r.path("id").asText(),
                    r.path("secretId").asText(), r.path("strategy").asText(), r.path("trigger").asText());
            if (r.hasNonNull("incident")) {
                out.printf("  incident %s%n", r.path("incident").asText());
            }
            if (r.hasNonNull("parentId")) {
                out.printf("  parent  rotation %s (this entry is related to its secret)%n", r.path("parentId").asText());
            }
            headerShown = true;
        }
        // The family: each related entry's rotation this one started, one line whenever its state changes.
        for (JsonNode child : r.path("children")) {
            String key = "child:" + child.path("id").asText();
            String childState = child.path("state").asText();
            if (!childState.equals(seen.put(key, childState))) {
                String error = child.hasNonNull("error") ? ": " + child.path("error").asText() : "";
                out.printf("  related %-17s %-10s (rotation %s)%s%n", child.path("secretId").asText(), childState,
                        child.path("id").asText(), error);
            }
        }
        String newState = r.path("state").asText();
        if (!newState.equals(state) && !isTerminal(newState)) {
            out.printf("  state   %s%n", newState);
        }
        progress(r.path("progress"));
        for (JsonNode step : r.path("steps")) {
            String key = step.path("step").asText() + "/" + step.path("direction").asText("FORWARD");
            String status = step.path("status").asText() + "#" + step.path("attempts").asInt();
            if (!status.equals(seen.put(key, status))) {
                String direction = step.path("direction").asText("FORWARD");
                out.printf("  step    %-17s %-10s %s(attempt %d)%n", step.path("step").asText(),
                        step.path("status").asText(), direction.equals("COMPENSATE") ? "compensation " : "",
                        step.path("attempts").asInt());
            }
        }
        if (isTerminal(newState) && !newState.equals(state)) {
            String versions = r.hasNonNull("toVersion")
                    ? " (version " + r.path("fromVersion").asText("none") + " -> " + r.path("toVersion").asText() + ")"
                    : "";
            String error = r.hasNonNull("error") ? ": " + r.path("error").asText() : "";
            out.printf("  state   %s%s%s%n", newState, versions, error);
            if (r.path("dryRun").asBoolean() && r.hasNonNull("result")) {
                out.printf("  report  %s%n", r.path("result").asText());
            }
        }
        state = newState;
    }

    /** A progress bar line for long steps, at most once a second and only when it moved. */
    private void progress(JsonNode p) {
        if (p.isMissingNode() || p.isNull() || p.path("total").asLong() <= 0) {
            return;
        }
        long done = p.path("done").asLong();
        long total = p.path("total").asLong();
        long now = System.nanoTime();
        boolean finished = done >= total;
        if (done == lastProgressDone || (!finished && now - lastProgressAt < 1_000_000_000L)) {
            return;
        }
        lastProgressDone = done;
        lastProgressAt = now;
        int width = 30;
        int filled = (int) Math.min(width, width * done / total);
        String eta = p.hasNonNull("etaSeconds") ? ", ETA " + p.path("etaSeconds").asLong() + " s" : "";
        out.printf("  progress [%s%s] %d/%d rows, %.0f rows/s%s%n", "#".repeat(filled), ".".repeat(width - filled),
                done, total, p.path("rowsPerSecond").asDouble(), eta);
    }

    private static boolean isTerminal(String state) {
        return state.equals("COMPLETED") || state.equals("ROLLED_BACK") || state.equals("FAILED");
    }
}

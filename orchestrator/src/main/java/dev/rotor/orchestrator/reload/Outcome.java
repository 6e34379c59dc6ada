package dev.rotor.orchestrator.reload;

/**
 * What one reload, health check, command or Kubernetes change came to. Messages end up in logs, step details and
 * notifications: they name hosts (redacted), workloads, exit codes and version numbers, never a value, a response body
 * or a command's output.
 *
 * @param retryable for a failure: another attempt may succeed (a timeout of the network, a 5xx, a lost connection)
 */
public record Outcome(boolean ok, boolean retryable, String message) {
    public static Outcome ok(String message) {
        return new Outcome(true, false, message);
    }

    public static Outcome retryable(String message) {
        return new Outcome(false, true, message);
    }

    public static Outcome refused(String message) {
        return new Outcome(false, false, message);
    }
}

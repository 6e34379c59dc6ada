package dev.rotor.orchestrator.kubernetes;

import dev.rotor.orchestrator.reload.Outcome;
import io.fabric8.kubernetes.client.KubernetesClientException;

/** A failed API call: the server busy or unreachable is worth a retry; a refusal (403, 404, 422) is not. */
final class KubernetesErrors {
    private KubernetesErrors() {
    }

    static Outcome outcome(String what, KubernetesClientException e) {
        int code = e.getCode();
        String status = code > 0 ? "answered " + code : "failed (" + rootName(e) + ")";
        if (code == 0 || code == 409 || code == 429 || code >= 500) {
            return Outcome.retryable(what + ": the API server " + status);
        }
        return Outcome.refused(what + ": the API server " + status);
    }

    private static String rootName(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName();
    }
}

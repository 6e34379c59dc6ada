package dev.rotor.orchestrator.kubernetes;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rotor.contracts.catalog.WorkloadRef;
import dev.rotor.orchestrator.reload.Outcome;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code kubernetes} reloader: {@code kubectl rollout restart}, then {@code kubectl rollout status}. Each matching
 * Deployment or StatefulSet gets one JSON merge patch of its pod template's annotations, the
 * {@value #RESTARTED_AT} that kubectl sets and {@value #MARKER}: the attempt it is for. Then it waits until every
 * rollout is complete (observedGeneration at least the patched generation, updatedReplicas and availableReplicas equal
 * to replicas), or fails when the timeout ends.
 *
 * <p>Idempotent per attempt: a workload whose template already carries this attempt's marker is not patched again
 * (a repeated run only waits). A new attempt (a retry, or the compensation) restarts again, which is the point of it.
 */
public final class RolloutRestarter {
    public static final String RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";
    public static final String MARKER = "rotor.dev/restart";
    private static final Duration POLL = Duration.ofMillis(250);

    private final KubernetesClient client;
    private final Clock clock;

    public RolloutRestarter(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /** Deadlines run on the system clock; {@code clock} only dates the annotation. @param marker names the attempt, e.g. {@code <rotation>/FORWARD/1}; references only */
    public Outcome restart(WorkloadRef ref, String marker, Duration timeout) {
        Workloads workloads = new Workloads(client, ref);
        Instant deadline = Instant.now().plus(timeout);
        try {
            List<HasMetadata> found = workloads.find();
            if (found.isEmpty()) {
                return Outcome.refused("rollout restart: no " + ref.describe() + " found");
            }
            Map<String, Long> since = new LinkedHashMap<>();
            for (HasMetadata o : found) {
                String name = o.getMetadata().getName();
                HasMetadata patched = o;
                if (!marker.equals(Workloads.templateAnnotations(o).get(MARKER))) {
                    patched = workloads.mergePatch(name, patch(clock.instant(), marker));
                }
                since.put(name, patched.getMetadata().getGeneration() == null ? 0
                        : patched.getMetadata().getGeneration());
            }
            for (Map.Entry<String, Long> e : since.entrySet()) {
                Outcome waited = awaitComplete(workloads, e.getKey(), e.getValue(), deadline, timeout);
                if (!waited.ok()) {
                    return waited;
                }
            }
            return Outcome.ok("rollout restart of " + ref.kindOrDefault() + " " + ref.namespace() + "/"
                    + String.join(", ", since.keySet()) + " complete");
        } catch (KubernetesClientException e) {
            return KubernetesErrors.outcome("rollout restart of " + ref.describe(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.retryable("rollout restart of " + ref.describe() + " interrupted");
        }
    }

    /** The merge patch: what {@code kubectl rollout restart} changes, plus the attempt marker. */
    public static String patch(Instant at, String marker) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.putObject("spec").putObject("template").putObject("metadata").putObject("annotations")
                .put(RESTARTED_AT, at.truncatedTo(ChronoUnit.SECONDS).toString()).put(MARKER, marker);
        return root.toString();
    }

    static Outcome awaitComplete(Workloads workloads, String name, long sinceGeneration, Instant deadline,
            Duration timeout) throws InterruptedException {
        Workloads.Rollout last = null;
        while (true) {
            HasMetadata now = workloads.get(name);
            if (now == null) {
                return Outcome.refused(workloads.describe() + ": " + name + " was deleted during the rollout");
            }
            last = Workloads.Rollout.of(now);
            if (last.completeSince(sinceGeneration)) {
                return Outcome.ok(workloads.describe(now) + " rolled out");
            }
            if (!Instant.now().isBefore(deadline)) {
                // A rollout stuck this long (crash loop, no capacity) rarely completes on a retry: roll back.
                return Outcome.refused("rollout of " + workloads.describe(now) + " did not complete within "
                        + timeout.toSeconds() + "s (" + last.describe() + ")");
            }
            Thread.sleep(POLL.toMillis());
        }
    }
}

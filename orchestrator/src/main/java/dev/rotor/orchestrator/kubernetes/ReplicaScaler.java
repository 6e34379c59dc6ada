package dev.rotor.orchestrator.kubernetes;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rotor.contracts.catalog.WorkloadRef;
import dev.rotor.orchestrator.reload.Outcome;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code kubernetes} drain: scale the workloads to 0, and back to the replica count each had. The count is kept on
 * the workload itself, in the annotation {@value #RECORDED}, written by the same merge patch that scales it down, so a
 * crash of the orchestrator loses nothing and both directions are idempotent: a workload that carries the annotation
 * is already drained (not scaled again, so a second drain cannot record 0), and one without it has nothing to
 * restore.
 */
public final class ReplicaScaler {
    public static final String RECORDED = "rotor.dev/drained-replicas";
    private static final Duration POLL = Duration.ofMillis(250);

    private final KubernetesClient client;

    public ReplicaScaler(KubernetesClient client) {
        this.client = client;
    }

    /** Scales to 0 and waits until no pod is left. */
    public Outcome drain(WorkloadRef ref, Duration timeout) {
        Workloads workloads = new Workloads(client, ref);
        Instant deadline = Instant.now().plus(timeout);
        try {
            List<HasMetadata> found = workloads.find();
            if (found.isEmpty()) {
                return Outcome.refused("scale to 0: no " + ref.describe() + " found");
            }
            List<String> names = new ArrayList<>();
            for (HasMetadata o : found) {
                String name = o.getMetadata().getName();
                names.add(name);
                if (annotations(o).get(RECORDED) == null) {
                    Integer replicas = Workloads.specReplicas(o);
                    workloads.mergePatch(name, scaleDown(replicas == null ? 1 : replicas));
                }
            }
            for (String name : names) {
                while (true) {
                    HasMetadata now = workloads.get(name);
                    if (now == null || Workloads.Rollout.of(now).current() == 0) {
                        break;
                    }
                    if (!Instant.now().isBefore(deadline)) {
                        return Outcome.retryable("scale to 0 of " + workloads.describe(now) + ": pods still running"
                                + " after " + timeout.toSeconds() + "s");
                    }
                    Thread.sleep(POLL.toMillis());
                }
            }
            return Outcome.ok("scaled " + ref.kindOrDefault() + " " + ref.namespace() + "/"
                    + String.join(", ", names) + " to 0");
        } catch (KubernetesClientException e) {
            return KubernetesErrors.outcome("scale to 0 of " + ref.describe(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.retryable("scale to 0 of " + ref.describe() + " interrupted");
        }
    }

    /** Scales each drained workload back to its recorded count and waits until its rollout is complete. */
    public Outcome restore(WorkloadRef ref, Duration timeout) {
        Workloads workloads = new Workloads(client, ref);
        Instant deadline = Instant.now().plus(timeout);
        try {
            List<HasMetadata> found = workloads.find();
            List<String> restored = new ArrayList<>();
            for (HasMetadata o : found) {
                String recorded = annotations(o).get(RECORDED);
                if (recorded == null) {
                    continue;
                }
                String name = o.getMetadata().getName();
                HasMetadata patched = workloads.mergePatch(name, scaleBack(Integer.parseInt(recorded)));
                long generation = patched.getMetadata().getGeneration() == null ? 0
                        : patched.getMetadata().getGeneration();
                Outcome waited = RolloutRestarter.awaitComplete(workloads, name, generation, deadline, timeout);
                if (!waited.ok()) {
                    return Outcome.retryable(waited.message());
                }
                restored.add(name + " to " + recorded);
            }
            return Outcome.ok(restored.isEmpty() ? "nothing to scale back: no " + ref.describe() + " was drained"
                    : "scaled " + ref.kindOrDefault() + " " + ref.namespace() + "/" + String.join(", ", restored));
        } catch (KubernetesClientException e) {
            return KubernetesErrors.outcome("scale back of " + ref.describe(), e);
        } catch (NumberFormatException e) {
            return Outcome.refused("scale back of " + ref.describe() + ": annotation " + RECORDED + " is not a number");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.retryable("scale back of " + ref.describe() + " interrupted");
        }
    }

    static String scaleDown(int replicas) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.putObject("metadata").putObject("annotations").put(RECORDED, String.valueOf(replicas));
        root.putObject("spec").put("replicas", 0);
        return root.toString();
    }

    static String scaleBack(int replicas) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.putObject("metadata").putObject("annotations").putNull(RECORDED);
        root.putObject("spec").put("replicas", replicas);
        return root.toString();
    }

    private static Map<String, String> annotations(HasMetadata o) {
        Map<String, String> a = o.getMetadata().getAnnotations();
        return a == null ? Map.of() : a;
    }
}

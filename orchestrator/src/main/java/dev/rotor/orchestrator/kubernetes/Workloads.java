package dev.rotor.orchestrator.kubernetes;

import dev.rotor.contracts.catalog.WorkloadRef;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Deployments or StatefulSets a {@link WorkloadRef} names, and what a rollout of one looks like. Both kinds are
 * changed by JSON merge patches (RFC 7396), which every API server applies the same way.
 */
final class Workloads {
    private final KubernetesClient client;
    private final WorkloadRef ref;

    Workloads(KubernetesClient client, WorkloadRef ref) {
        this.client = client;
        this.ref = ref;
    }

    /**
     * The rollout state of a workload: complete when the controller saw the latest spec and every replica is new and
     * available.
     *
     * @param current the pods the controller counts (status.replicas): 0 once a scale to 0 is done
     */
    record Rollout(long generation, long observedGeneration, int replicas, int updated, int available, int current) {
        static Rollout of(HasMetadata o) {
            long generation = o.getMetadata().getGeneration() == null ? 0 : o.getMetadata().getGeneration();
            if (o instanceof Deployment d) {
                var st = d.getStatus();
                return st == null ? new Rollout(generation, 0, desired(d.getSpec().getReplicas()), 0, 0, 0)
                        : new Rollout(generation, n(st.getObservedGeneration()), desired(d.getSpec().getReplicas()),
                                n(st.getUpdatedReplicas()), n(st.getAvailableReplicas()), n(st.getReplicas()));
            }
            StatefulSet s = (StatefulSet) o;
            var st = s.getStatus();
            return st == null ? new Rollout(generation, 0, desired(s.getSpec().getReplicas()), 0, 0, 0)
                    : new Rollout(generation, n(st.getObservedGeneration()), desired(s.getSpec().getReplicas()),
                            n(st.getUpdatedReplicas()), n(st.getAvailableReplicas()), n(st.getReplicas()));
        }

        /** Done for a spec of at least {@code sinceGeneration}: the brief's three conditions, as kubectl checks them. */
        boolean completeSince(long sinceGeneration) {
            return observedGeneration >= Math.max(generation, sinceGeneration) && updated == replicas
                    && available == replicas;
        }

        /** What a message says of an incomplete rollout. */
        String describe() {
            return "observed generation " + observedGeneration + " of " + generation + ", updated " + updated + "/"
                    + replicas + ", available " + available + "/" + replicas;
        }

        /** An unset spec.replicas means 1, as the API server defaults it. */
        private static int desired(Integer value) {
            return value == null ? 1 : value;
        }

        private static int n(Integer value) {
            return value == null ? 0 : value;
        }

        private static long n(Long value) {
            return value == null ? 0 : value;
        }
    }

    /** The matching workloads, by name or selector; empty when none matches. */
    List<HasMetadata> find() {
        return statefulSets() ? find(StatefulSet.class) : find(Deployment.class);
    }

    private <T extends HasMetadata> List<HasMetadata> find(Class<T> type) {
        NonNamespaceOperation<T, KubernetesResourceList<T>, Resource<T>> ops = client.resources(type)
                .inNamespace(ref.namespace());
        if (ref.name() != null) {
            T one = ops.withName(ref.name()).get();
            return one == null ? List.of() : List.of(one);
        }
        FilterWatchListDeletable<T, KubernetesResourceList<T>, Resource<T>> filter = ops;
        for (String pair : ref.selector().split(",")) {
            String p = pair.trim();
            if (p.contains("!=")) {
                String[] kv = p.split("!=", 2);
                filter = filter.withoutLabel(kv[0].trim(), kv[1].trim());
            } else {
                String[] kv = p.split("==?", 2);
                filter = filter.withLabel(kv[0].trim(), kv[1].trim());
            }
        }
        return new ArrayList<>(filter.list().getItems());
    }

    /** The workload as it is now; null once it is gone. */
    HasMetadata get(String name) {
        return resource(name).get();
    }

    HasMetadata mergePatch(String name, String json) {
        return resource(name).patch(PatchContext.of(PatchType.JSON_MERGE), json);
    }

    private Resource<? extends HasMetadata> resource(String name) {
        return statefulSets() ? client.resources(StatefulSet.class).inNamespace(ref.namespace()).withName(name)
                : client.resources(Deployment.class).inNamespace(ref.namespace()).withName(name);
    }

    private boolean statefulSets() {
        return WorkloadRef.STATEFUL_SET.equals(ref.kindOrDefault());
    }

    static Map<String, String> templateAnnotations(HasMetadata o) {
        var template = o instanceof Deployment d ? d.getSpec().getTemplate() : ((StatefulSet) o).getSpec().getTemplate();
        Map<String, String> a = template == null || template.getMetadata() == null ? null
                : template.getMetadata().getAnnotations();
        return a == null ? Map.of() : a;
    }

    static Integer specReplicas(HasMetadata o) {
        return o instanceof Deployment d ? d.getSpec().getReplicas() : ((StatefulSet) o).getSpec().getReplicas();
    }

    String describe(HasMetadata o) {
        return ref.kindOrDefault() + " " + ref.namespace() + "/" + o.getMetadata().getName();
    }

    String describe() {
        return ref.describe();
    }
}

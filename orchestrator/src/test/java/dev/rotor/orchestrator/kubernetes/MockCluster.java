package dev.rotor.orchestrator.kubernetes;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;

/** Workloads in the fabric8 mock server (CRUD mode), and what a controller would do to their status. */
final class MockCluster {
    private MockCluster() {
    }

    /** A Deployment whose last rollout is complete: generation 1 observed, every replica updated and available. */
    static Deployment deployment(KubernetesClient client, String ns, String name, int replicas, String app) {
        Deployment d = new DeploymentBuilder().withNewMetadata().withNamespace(ns).withName(name)
                .withLabels(Map.of("app", app)).endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().withMatchLabels(Map.of("app", app))
                .endSelector().withNewTemplate().withNewMetadata().withLabels(Map.of("app", app)).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("app:1").endContainer().endSpec()
                .endTemplate().endSpec().build();
        client.apps().deployments().inNamespace(ns).resource(d).create();
        return settle(client, ns, name);
    }

    static StatefulSet statefulSet(KubernetesClient client, String ns, String name, int replicas, String app) {
        StatefulSet s = new StatefulSetBuilder().withNewMetadata().withNamespace(ns).withName(name)
                .withLabels(Map.of("app", app)).endMetadata()
                .withNewSpec().withReplicas(replicas).withServiceName(name).withNewSelector()
                .withMatchLabels(Map.of("app", app)).endSelector().withNewTemplate().withNewMetadata()
                .withLabels(Map.of("app", app)).endMetadata().withNewSpec().addNewContainer().withName("db")
                .withImage("db:1").endContainer().endSpec().endTemplate().endSpec().build();
        client.apps().statefulSets().inNamespace(ns).resource(s).create();
        return client.apps().statefulSets().inNamespace(ns).withName(name).editStatus(x -> new StatefulSetBuilder(x)
                .withNewStatus().withObservedGeneration(generation(x.getMetadata().getGeneration()))
                .withReplicas(replicas).withUpdatedReplicas(replicas).withAvailableReplicas(replicas).endStatus()
                .build());
    }

    /** What the Deployment controller reports once the current spec is rolled out. */
    static Deployment settle(KubernetesClient client, String ns, String name) {
        return client.apps().deployments().inNamespace(ns).withName(name).editStatus(d -> {
            int replicas = d.getSpec().getReplicas();
            return new DeploymentBuilder(d).withNewStatus()
                    .withObservedGeneration(generation(d.getMetadata().getGeneration())).withReplicas(replicas)
                    .withUpdatedReplicas(replicas).withAvailableReplicas(replicas).endStatus().build();
        });
    }

    static StatefulSet settleStatefulSet(KubernetesClient client, String ns, String name) {
        return client.apps().statefulSets().inNamespace(ns).withName(name).editStatus(x -> {
            int replicas = x.getSpec().getReplicas();
            return new StatefulSetBuilder(x).withNewStatus()
                    .withObservedGeneration(generation(x.getMetadata().getGeneration())).withReplicas(replicas)
                    .withUpdatedReplicas(replicas).withAvailableReplicas(replicas).endStatus().build();
        });
    }

    private static long generation(Long g) {
        return g == null ? 1 : g;
    }
}

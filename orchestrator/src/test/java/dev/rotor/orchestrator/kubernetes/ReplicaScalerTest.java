package dev.rotor.orchestrator.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.contracts.catalog.WorkloadRef;
import dev.rotor.orchestrator.reload.Outcome;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The kubernetes drain against the fabric8 mock API server in CRUD mode: scale to 0, and back to the count. */
@EnableKubernetesMockClient(crud = true, https = false, kubernetesClientBuilderCustomizer = SentPatches.class)
class ReplicaScalerTest {
    static KubernetesClient client;
    static KubernetesMockServer server;
    private final WorkloadRef api = new WorkloadRef("shop", null, "api", null);
    private ReplicaScaler scaler;

    @BeforeEach
    void setUp() {
        scaler = new ReplicaScaler(client);
        client.apps().deployments().inAnyNamespace().delete();
        MockCluster.deployment(client, "shop", "api", 3, "api");
        SentPatches.take();
    }

    private Deployment api() {
        return client.apps().deployments().inNamespace("shop").withName("api").get();
    }

    /** What the controller reports once the pods of a scale to 0 are gone. */
    private void podsGone() {
        client.apps().deployments().inNamespace("shop").withName("api").editStatus(d -> new DeploymentBuilder(d)
                .withNewStatus().withObservedGeneration(d.getMetadata().getGeneration()).withReplicas(0)
                .endStatus().build());
    }

    @Test
    void drainsToZeroRecordingTheCountThenRestoresItAndWaitsForTheRollout() throws Exception {
        CompletableFuture<Outcome> draining = CompletableFuture.supplyAsync(
                () -> scaler.drain(api, Duration.ofSeconds(20)));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> api().getSpec().getReplicas() == 0);
        List<SentPatches.Patch> down = SentPatches.take();
        assertThat(down).hasSize(1);
        assertThat(down.get(0).path()).isEqualTo("/apis/apps/v1/namespaces/shop/deployments/api");
        assertThat(down.get(0).contentType()).startsWith("application/merge-patch+json");
        assertThat(down.get(0).body()).isEqualTo(
                "{\"metadata\":{\"annotations\":{\"rotor.dev/drained-replicas\":\"3\"}},\"spec\":{\"replicas\":0}}");
        Thread.sleep(1000);
        assertThat(draining).as("waits until the pods are gone").isNotDone();
        podsGone();
        assertThat(draining.get(10, TimeUnit.SECONDS)).isEqualTo(Outcome.ok("scaled Deployment shop/api to 0"));

        // A repeated drain records nothing new: the count stays 3, not the 0 it sees now.
        assertThat(scaler.drain(api, Duration.ofSeconds(5)).ok()).isTrue();
        assertThat(SentPatches.take()).isEmpty();
        assertThat(api().getMetadata().getAnnotations()).containsEntry(ReplicaScaler.RECORDED, "3");

        CompletableFuture<Outcome> restoring = CompletableFuture.supplyAsync(
                () -> scaler.restore(api, Duration.ofSeconds(20)));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> api().getSpec().getReplicas() == 3);
        List<SentPatches.Patch> up = SentPatches.take();
        assertThat(up).hasSize(1);
        assertThat(up.get(0).body()).isEqualTo(
                "{\"metadata\":{\"annotations\":{\"rotor.dev/drained-replicas\":null}},\"spec\":{\"replicas\":3}}");
        // An API server removes the annotation (RFC 7396); the mock keeps it as null. Either way no count is left.
        assertThat(api().getMetadata().getAnnotations().get(ReplicaScaler.RECORDED)).isNull();
        Thread.sleep(1000);
        assertThat(restoring).as("waits until the rollout is complete").isNotDone();
        MockCluster.settle(client, "shop", "api");
        assertThat(restoring.get(10, TimeUnit.SECONDS)).isEqualTo(Outcome.ok("scaled Deployment shop/api to 3"));

        // Restoring again, or restoring what was never drained, changes nothing.
        assertThat(scaler.restore(api, Duration.ofSeconds(5)))
                .isEqualTo(Outcome.ok("nothing to scale back: no Deployment shop/api was drained"));
        assertThat(SentPatches.take()).isEmpty();
    }

    @Test
    void podsThatDoNotGoAwayFailTheDrainAtItsTimeout() {
        Outcome outcome = scaler.drain(api, Duration.ofSeconds(1));
        assertThat(outcome).isEqualTo(Outcome.retryable("scale to 0 of Deployment shop/api: pods still running after"
                + " 1s"));
        // Its compensation (restore) puts the replicas back all the same.
        assertThat(api().getSpec().getReplicas()).isZero();
        CompletableFuture<Outcome> restoring = CompletableFuture.supplyAsync(
                () -> scaler.restore(api, Duration.ofSeconds(20)));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> api().getSpec().getReplicas() == 3);
        MockCluster.settle(client, "shop", "api");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(restoring::isDone);
        assertThat(restoring.join().ok()).isTrue();
    }
}

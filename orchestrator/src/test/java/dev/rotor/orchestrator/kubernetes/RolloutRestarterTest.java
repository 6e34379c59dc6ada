package dev.rotor.orchestrator.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.contracts.catalog.WorkloadRef;
import dev.rotor.orchestrator.reload.Outcome;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The kubernetes reloader against the fabric8 mock API server in CRUD mode: the exact patch, and the wait. */
@EnableKubernetesMockClient(crud = true, https = false, kubernetesClientBuilderCustomizer = SentPatches.class)
class RolloutRestarterTest {
    static KubernetesClient client;
    static KubernetesMockServer server;
    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00.123Z");
    private RolloutRestarter restarter;

    @BeforeEach
    void setUp() {
        restarter = new RolloutRestarter(client, Clock.fixed(NOW, ZoneOffset.UTC));
        client.apps().deployments().inAnyNamespace().delete();
        client.apps().statefulSets().inAnyNamespace().delete();
        SentPatches.take();
    }

    @Test
    void patchesTheRestartedAtAnnotationThenWaitsUntilTheRolloutCompletes() throws Exception {
        Deployment before = MockCluster.deployment(client, "shop", "api", 2, "api");
        SentPatches.take();
        WorkloadRef ref = new WorkloadRef("shop", null, "api", null);
        CompletableFuture<Outcome> running = CompletableFuture.supplyAsync(
                () -> restarter.restart(ref, "rot-1/FORWARD/1", Duration.ofSeconds(20)));

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> "rot-1/FORWARD/1".equals(client.apps()
                .deployments().inNamespace("shop").withName("api").get().getSpec().getTemplate().getMetadata()
                .getAnnotations().get(RolloutRestarter.MARKER)));
        Deployment patched = client.apps().deployments().inNamespace("shop").withName("api").get();
        assertThat(patched.getMetadata().getGeneration()).as("a new pod template is a new generation")
                .isGreaterThan(before.getMetadata().getGeneration());
        assertThat(patched.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry(RolloutRestarter.RESTARTED_AT, "2026-12-02T12:00:00Z");
        Thread.sleep(1500);
        assertThat(running).as("still waiting: the controller has not seen the new generation").isNotDone();

        MockCluster.settle(client, "shop", "api");
        Outcome outcome = running.get(10, TimeUnit.SECONDS);
        assertThat(outcome).isEqualTo(Outcome.ok("rollout restart of Deployment shop/api complete"));

        List<SentPatches.Patch> patches = SentPatches.take();
        assertThat(patches).hasSize(1);
        assertThat(patches.get(0).path()).isEqualTo("/apis/apps/v1/namespaces/shop/deployments/api");
        assertThat(patches.get(0).contentType()).startsWith("application/merge-patch+json");
        assertThat(patches.get(0).body()).isEqualTo("{\"spec\":{\"template\":{\"metadata\":{\"annotations\":"
                + "{\"kubectl.kubernetes.io/restartedAt\":\"2026-12-02T12:00:00Z\","
                + "\"rotor.dev/restart\":\"rot-1/FORWARD/1\"}}}}}");
    }

    @Test
    void aRepeatedRunOfTheSameAttemptWaitsWithoutRestartingAgainButANewAttemptRestarts() throws Exception {
        MockCluster.deployment(client, "shop", "web", 1, "web");
        WorkloadRef ref = new WorkloadRef("shop", "Deployment", "web", null);
        CompletableFuture<Outcome> first = CompletableFuture.supplyAsync(
                () -> restarter.restart(ref, "rot-2/FORWARD/1", Duration.ofSeconds(20)));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !SentPatches.take().isEmpty());
        MockCluster.settle(client, "shop", "web");
        assertThat(first.get(10, TimeUnit.SECONDS).ok()).isTrue();

        assertThat(restarter.restart(ref, "rot-2/FORWARD/1", Duration.ofSeconds(5)).ok()).isTrue();
        assertThat(SentPatches.take()).as("same attempt: no second restart").isEmpty();

        CompletableFuture<Outcome> retry = CompletableFuture.supplyAsync(
                () -> restarter.restart(ref, "rot-2/FORWARD/2", Duration.ofSeconds(20)));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !SentPatches.take().isEmpty());
        MockCluster.settle(client, "shop", "web");
        assertThat(retry.get(10, TimeUnit.SECONDS).ok()).isTrue();
    }

    @Test
    void aLabelSelectorRestartsEveryMatchingStatefulSet() throws Exception {
        MockCluster.statefulSet(client, "data", "db-a", 2, "db");
        MockCluster.statefulSet(client, "data", "db-b", 1, "db");
        MockCluster.statefulSet(client, "data", "cache", 1, "cache");
        SentPatches.take();
        WorkloadRef ref = new WorkloadRef("data", "StatefulSet", null, "app=db");
        CompletableFuture<Outcome> running = CompletableFuture.supplyAsync(
                () -> restarter.restart(ref, "rot-3/COMPENSATE/1", Duration.ofSeconds(20)));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> List.of("db-a", "db-b").stream().allMatch(
                n -> client.apps().statefulSets().inNamespace("data").withName(n).get().getSpec().getTemplate()
                        .getMetadata().getAnnotations() != null));
        MockCluster.settleStatefulSet(client, "data", "db-a");
        MockCluster.settleStatefulSet(client, "data", "db-b");
        assertThat(running.get(10, TimeUnit.SECONDS))
                .isEqualTo(Outcome.ok("rollout restart of StatefulSet data/db-a, db-b complete"));
        assertThat(client.apps().statefulSets().inNamespace("data").withName("cache").get().getSpec().getTemplate()
                .getMetadata().getAnnotations()).as("not selected").isNullOrEmpty();
    }

    @Test
    void aRolloutThatNeverCompletesFailsAtTheTimeoutWithoutRetrying() {
        MockCluster.deployment(client, "shop", "stuck", 2, "stuck");
        long started = System.nanoTime();
        Outcome outcome = restarter.restart(new WorkloadRef("shop", null, "stuck", null), "rot-4/FORWARD/1",
                Duration.ofSeconds(2));
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertThat(outcome.ok()).isFalse();
        assertThat(outcome.retryable()).isFalse();
        assertThat(outcome.message()).startsWith("rollout of Deployment shop/stuck did not complete within 2s"
                + " (observed generation 1 of 2, updated 2/2, available 2/2)");
        assertThat(took).isBetween(1900L, 6000L);
    }

    @Test
    void nothingMatchingIsARefusal() {
        Outcome outcome = restarter.restart(new WorkloadRef("shop", null, null, "app=ghost"), "m",
                Duration.ofSeconds(2));
        assertThat(outcome).isEqualTo(Outcome.refused("rollout restart: no Deployment shop/[app=ghost] found"));
    }
}

package dev.rotor.orchestrator.it;

import static dev.rotor.contracts.messages.Direction.COMPENSATE;
import static dev.rotor.contracts.messages.Direction.FORWARD;
import static dev.rotor.contracts.messages.Step.STAGE_SECRET;
import static dev.rotor.contracts.messages.Step.UPDATE_SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.rotor.contracts.json.RotorJson;
import dev.rotor.local.KafkaResource;
import dev.rotor.local.PostgresResource;
import dev.rotor.local.auth.AuthResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * RELOAD_CONSUMERS through the real broker and database: the orchestrator calls a small app's reload hook, which reads
 * its .env, and polls its /health/keys until it reports the new version before the rotation is COMPLETED; a reload
 * that does not take, and a Kubernetes rollout that never completes (fabric8 mock server), roll the rotation back,
 * reloading again once the old value is restored. The test answers for secret-sync, writing the .env as it would.
 */
@QuarkusTest
@TestProfile(ReloadFlowTest.Reloading.class)
@QuarkusTestResource(AuthResource.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "orchestrator"))
@QuarkusTestResource(value = ReloadAppResource.class, restrictToAnnotatedClass = true)
class ReloadFlowTest {
    private static final String V1 = "v1-Zm9vYmFyYmF6cXV4LXZhbHVlLW9uZQ==";
    private static final String V2 = "v2-c2Vjb25kLXZhbHVlLW5ldmVyLWxlYWtlZA==";
    private final Flow flow = new Flow();

    /** Its own app: the catalog comes from ReloadAppResource, which knows the app's port. */
    public static class Reloading implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of();
        }
    }

    @AfterEach
    void close() {
        flow.close();
    }

    @Test
    void theAppRunsTheNewVersionBeforeTheRotationIsCompleted() throws Exception {
        ReloadAppResource.writeEnv("rl-http", V1, 1);
        ReloadAppResource.boot("rl-http");
        try (LogCapture log = LogCapture.start()) {
            UUID id = Api.start("rl-http", "MANUAL");
            Flow.reply(flow.await(id, STAGE_SECRET, FORWARD, 1).succeeded(1, 2, "staged"));
            var update = flow.await(id, UPDATE_SECRET, FORWARD, 1);
            ReloadAppResource.writeEnv("rl-http", V2, 2);
            assertThat(ReloadAppResource.running("rl-http")).as("written, not yet picked up").isEqualTo(1);
            Flow.reply(update.succeeded(1, 2, "targets written"));

            Api.awaitState(id, "COMPLETED");
            assertThat(ReloadAppResource.running("rl-http")).isEqualTo(2);
            assertThat(ReloadAppResource.hookCalls("rl-http")).containsExactly("{\"rotationId\":\"" + id
                    + "\",\"secretId\":\"rl-http\",\"direction\":\"FORWARD\",\"version\":2}");
            String base = "http://127.0.0.1:" + ReloadAppResource.port();
            Api.get(id).then()
                    .body("steps.find { it.step == 'RELOAD_CONSUMERS' && it.direction == 'FORWARD' }.status",
                            equalTo("SUCCEEDED"))
                    .body("steps.find { it.step == 'RELOAD_CONSUMERS' }.detail", equalTo("reload hook POST " + base
                            + "/reload/rl-http answered 204; health " + base
                            + "/health/keys/rl-http reports version 2"));
            assertThat(flow.milestones(id, "rotation-completed")).containsExactly("rotation-requested",
                    "secret-staged", "secret-updated", "rotation-completed");
            assertThat(flow.commandOrder(id)).containsExactly("STAGE_SECRET/FORWARD", "UPDATE_SECRET/FORWARD");
            assertNoLeak(id, log);
        }
    }

    @Test
    void aReloadThatDoesNotTakeRollsBackAndTheAppIsReloadedOnTheRestoredValue() throws Exception {
        ReloadAppResource.writeEnv("rl-stale", V1, 1);
        ReloadAppResource.boot("rl-stale");
        ReloadAppResource.stale("rl-stale", true);
        try (LogCapture log = LogCapture.start()) {
            UUID id = Api.start("rl-stale", "MANUAL");
            Flow.reply(flow.await(id, STAGE_SECRET, FORWARD, 1).succeeded(1, 2, "staged"));
            var update = flow.await(id, UPDATE_SECRET, FORWARD, 1);
            ReloadAppResource.writeEnv("rl-stale", V2, 2);
            Flow.reply(update.succeeded(1, 2, "targets written"));

            // Two attempts, each polling the health check for 3 s; then the restore, then the reload again.
            var restore = flow.await(id, UPDATE_SECRET, COMPENSATE, 1);
            assertThat(ReloadAppResource.hookCalls("rl-stale")).hasSize(2);
            ReloadAppResource.writeEnv("rl-stale", V1, 1);
            ReloadAppResource.stale("rl-stale", false);
            Flow.reply(restore.compensated("labels and targets restored"));
            Flow.reply(flow.await(id, STAGE_SECRET, COMPENSATE, 1).compensated("pending discarded"));

            Api.awaitState(id, "ROLLED_BACK");
            assertThat(ReloadAppResource.hookCalls("rl-stale")).endsWith("{\"rotationId\":\"" + id
                    + "\",\"secretId\":\"rl-stale\",\"direction\":\"COMPENSATE\",\"version\":1}");
            assertThat(ReloadAppResource.running("rl-stale")).isEqualTo(1);
            String base = "http://127.0.0.1:" + ReloadAppResource.port();
            Api.get(id).then().body("error", equalTo("health " + base + "/health/keys/rl-stale reports version 1,"
                            + " expected version 2 at /keys/app/version before the timeout"))
                    .body("steps.findAll { it.direction == 'COMPENSATE' }.step",
                            equalTo(List.of("UPDATE_SECRET", "RELOAD_CONSUMERS", "STAGE_SECRET")))
                    .body("steps.find { it.step == 'RELOAD_CONSUMERS' && it.direction == 'FORWARD' }.attempts",
                            equalTo(2));
            assertThat(flow.commandOrder(id)).containsExactly("STAGE_SECRET/FORWARD", "UPDATE_SECRET/FORWARD",
                    "UPDATE_SECRET/COMPENSATE", "STAGE_SECRET/COMPENSATE");
            assertNoLeak(id, log);
        }
    }

    @Test
    void aRolloutThatNeverCompletesFailsTheStepAndTheRotationCompensates() throws Exception {
        KubernetesClient k8s = ReloadAppResource.kubernetes();
        k8s.apps().deployments().inNamespace("shop").resource(new DeploymentBuilder().withNewMetadata()
                .withNamespace("shop").withName("api").endMetadata().withNewSpec().withReplicas(2)
                .withNewTemplate().withNewSpec().addNewContainer().withName("api").withImage("api:1").endContainer()
                .endSpec().endTemplate().endSpec().build()).create();
        UUID id = Api.start("rl-k8s", "MANUAL");
        Flow.reply(flow.await(id, STAGE_SECRET, FORWARD, 1).succeeded(1, 2, "staged"));
        Flow.reply(flow.await(id, UPDATE_SECRET, FORWARD, 1).succeeded(1, 2, "targets written"));

        // No controller moves the status: the rollout never completes, the step fails and is not retried.
        var restore = flow.await(id, UPDATE_SECRET, COMPENSATE, 1);
        assertThat(marker(k8s)).isEqualTo(id + "/FORWARD/1");
        Flow.reply(restore.compensated("restored"));
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> (id + "/COMPENSATE/1").equals(marker(k8s)));
        k8s.apps().deployments().inNamespace("shop").withName("api").editStatus(d -> new DeploymentBuilder(d)
                .withNewStatus().withObservedGeneration(d.getMetadata().getGeneration()).withReplicas(2)
                .withUpdatedReplicas(2).withAvailableReplicas(2).endStatus().build());
        Flow.reply(flow.await(id, STAGE_SECRET, COMPENSATE, 1).compensated("pending discarded"));

        Api.awaitState(id, "ROLLED_BACK");
        Api.get(id).then().body("error", equalTo("rollout of Deployment shop/api did not complete within 2s"
                        + " (observed generation 0 of 2, updated 0/2, available 0/2)"))
                .body("steps.find { it.step == 'RELOAD_CONSUMERS' && it.direction == 'FORWARD' }.attempts",
                        equalTo(1))
                .body("steps.find { it.step == 'RELOAD_CONSUMERS' && it.direction == 'COMPENSATE' }.detail",
                        equalTo("rollout restart of Deployment shop/api complete"));
        assertThat(flow.milestones(id, "rotation-rolled-back")).containsExactly("rotation-requested",
                "secret-staged", "secret-updated", "compensation-started", "rotation-rolled-back");
    }

    private static String marker(KubernetesClient k8s) {
        Deployment d = k8s.apps().deployments().inNamespace("shop").withName("api").get();
        Map<String, String> a = d.getSpec().getTemplate().getMetadata() == null ? null
                : d.getSpec().getTemplate().getMetadata().getAnnotations();
        return a == null ? null : a.get("rotor.dev/restart");
    }

    /** Neither value appears in a hook call, the API, a milestone or a log line. */
    private void assertNoLeak(UUID id, LogCapture log) throws Exception {
        String api = Api.get(id).then().extract().asString();
        String milestones = RotorJson.mapper().writeValueAsString(flow.events(id));
        for (String value : List.of(V1, V2)) {
            assertThat(ReloadAppResource.hookCalls("rl-http")).noneMatch(c -> c.contains(value));
            assertThat(ReloadAppResource.hookCalls("rl-stale")).noneMatch(c -> c.contains(value));
            assertThat(api).doesNotContain(value);
            assertThat(milestones).doesNotContain(value);
            assertThat(log.lines()).noneMatch(l -> l.contains(value));
        }
        assertThat(log.lines()).anyMatch(l -> l.contains("RELOAD_CONSUMERS"));
    }
}

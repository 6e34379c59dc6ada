package dev.rotor.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rotor.contracts.catalog.CatalogLoader;
import dev.rotor.local.KafkaPrincipals;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/k8s/base: every manifest against its model or CRD schema, and against the services' configuration and the
 * local broker's ACLs.
 */
class KubernetesManifestsTest {
    private static final Path BASE = Repo.path("deploy/k8s/base");
    private static final List<HasMetadata> RESOURCES = new ArrayList<>();
    private static final List<JsonNode> CUSTOM = new ArrayList<>();

    @BeforeAll
    static void parseEveryManifest() {
        for (String file : Kustomization.resources(BASE)) {
            for (JsonNode doc : Repo.yamlDocuments(BASE.resolve(file))) {
                if (CustomResources.isCustom(doc)) {
                    CUSTOM.add(CustomResources.check(doc));
                } else {
                    RESOURCES.add(StrictModel.parse(doc));
                }
            }
        }
    }

    @Test
    void kustomizationListsExactlyTheFilesOfItsFolder() throws IOException {
        try (Stream<Path> files = Files.list(BASE)) {
            Set<String> yaml = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
                    .filter(n -> !n.equals("kustomization.yaml")).collect(Collectors.toSet());
            assertThat(Kustomization.resources(BASE)).containsExactlyInAnyOrderElementsOf(yaml);
        }
    }

    @Test
    void topicsAndUsersMatchTheLocalBroker() {
        assertThat(custom("KafkaTopic").stream().map(t -> t.path("spec").path("topicName").asText()))
                .containsExactlyInAnyOrderElementsOf(KafkaPrincipals.topics());
        List<JsonNode> users = custom("KafkaUser");
        assertThat(users.stream().map(u -> u.path("metadata").path("name").asText()))
                .containsExactlyInAnyOrderElementsOf(KafkaPrincipals.SERVICES);
        assertThat(users).allSatisfy(u -> assertThat(u.path("spec").path("authentication").path("type").asText())
                .isEqualTo("scram-sha-512"));
        assertThat(KafkaAccess.of(users)).isEqualTo(KafkaAccess.localBroker());
        JsonNode kafka = custom("Kafka").get(0).path("spec").path("kafka");
        assertThat(kafka.path("authorization").path("type").asText()).isEqualTo("simple");
        assertThat(kafka.path("listeners")).singleElement().satisfies(l -> {
            assertThat(l.path("authentication").path("type").asText()).isEqualTo("scram-sha-512");
            assertThat(l.path("port").asInt()).isEqualTo(9092);
        });
        String cluster = custom("Kafka").get(0).path("metadata").path("name").asText();
        assertThat(CUSTOM).allSatisfy(r -> assertThat(r.path("metadata").path("labels").path("strimzi.io/cluster")
                .asText(cluster)).isEqualTo(cluster));
        assertThat(custom("KafkaNodePool")).singleElement().satisfies(p -> assertThat(p.path("spec").path("roles"))
                .extracting(JsonNode::asText).containsExactlyInAnyOrder("controller", "broker"));
    }

    @Test
    void everyDeploymentRunsItsServiceAsTheServiceIsConfigured() {
        List<Deployment> deployments = of(Deployment.class);
        assertThat(deployments.stream().map(d -> d.getMetadata().getName()))
                .containsExactlyInAnyOrderElementsOf(Services.NAMES);
        for (Deployment deployment : deployments) {
            String service = deployment.getMetadata().getName();
            ServiceConfig config = Services.config(service);
            PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            Container c = pod.getContainers().get(0);
            assertThat(c.getImage()).as(service).isEqualTo(config.image() + ":" + Repo.VERSION);
            assertThat(c.getPorts()).as(service).extracting(p -> p.getName() + ":" + p.getContainerPort())
                    .containsExactly("http:" + config.httpPort(), "management:" + config.managementPort());
            assertThat(c.getEnv()).as(service + " reads each variable").allSatisfy(e ->
                    assertThat(config.reads(e.getName())).as(service + " reads " + e.getName()).isTrue());
            assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
            assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
            assertThat(c.getStartupProbe().getHttpGet().getPath()).isEqualTo("/q/health/started");
            // /q is served on the management port only: a probe of the public port would always fail.
            assertThat(Stream.of(c.getStartupProbe(), c.getLivenessProbe(), c.getReadinessProbe())
                    .map(p -> p.getHttpGet().getPort().getStrVal())).as(service).containsOnly("management");
            assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
            assertThat(c.getResources().getLimits()).containsKey("memory");
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
            assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(config.imageUser());
            assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
            assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
            assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
            assertThat(c.getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
            assertThat(pod.getInitContainers()).allSatisfy(i -> {
                assertThat(i.getImage()).isEqualTo(c.getImage());
                assertThat(i.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
                assertThat(i.getEnv()).isEmpty();
            });
            EnvVar jaas = env(c, "KAFKA_SASL_JAAS_CONFIG");
            assertThat(jaas.getValueFrom().getSecretKeyRef().getName()).as("the KafkaUser's Secret")
                    .isEqualTo(service);
            assertThat(config.reads("KAFKA_SASL_JAAS_CONFIG")).isTrue();
            for (EnvVar e : c.getEnv()) {
                if (e.getValue() != null && e.getValue().replaceFirst("^file:", "").startsWith("/etc/rotor/")) {
                    String file = e.getValue().replaceFirst("^file:", "");
                    assertThat(c.getVolumeMounts()).as(service + ": " + e.getName() + " names a mounted file")
                            .anySatisfy(m -> assertThat(file).startsWith(m.getMountPath() + "/"));
                }
            }
        }
    }

    @Test
    void credentialsComeOnlyFromSecrets() {
        List<EnvVar> credentials = of(Deployment.class).stream()
                .flatMap(d -> d.getSpec().getTemplate().getSpec().getContainers().stream())
                .flatMap(c -> c.getEnv().stream()).filter(e -> Repo.isCredential(e.getName())).toList();
        assertThat(credentials).extracting(EnvVar::getName).contains("KAFKA_SASL_JAAS_CONFIG",
                "QUARKUS_DATASOURCE_PASSWORD", "ROTOR_KEYSTORE_PASSWORD");
        assertThat(credentials).allSatisfy(e -> {
            assertThat(e.getValue()).as(e.getName()).isNull();
            assertThat(e.getValueFrom().getSecretKeyRef()).as(e.getName()).isNotNull();
        });
        assertThat(of(io.fabric8.kubernetes.api.model.Secret.class)).as("no Secret is committed").isEmpty();
    }

    @Test
    void theStoreVolumeIsClaimedAndTheCatalogIsValid() {
        PodSpec sync = deployment("secret-sync").getSpec().getTemplate().getSpec();
        assertThat(sync.getVolumes()).filteredOn(v -> v.getPersistentVolumeClaim() != null)
                .extracting(v -> v.getPersistentVolumeClaim().getClaimName()).containsExactly("rotor-store");
        assertThat(deployment("secret-sync").getSpec().getReplicas()).isEqualTo(1);
        assertThat(deployment("secret-sync").getSpec().getStrategy().getType()).isEqualTo("Recreate");
        assertThat(of(io.fabric8.kubernetes.api.model.PersistentVolumeClaim.class))
                .extracting(c -> c.getMetadata().getName()).contains("rotor-store");
        ConfigMap catalog = of(ConfigMap.class).stream()
                .filter(m -> m.getMetadata().getName().equals("rotor-catalog")).findFirst().orElseThrow();
        assertThat(CatalogLoader.parse(catalog.getData().get("catalog.yaml"), "rotor-catalog").secrets())
                .isNotEmpty();
    }

    @Test
    void theWorkerRunsTwoReplicasOnSecretSyncsNodeReadingTheStoreReadOnly() {
        Deployment worker = deployment("reencrypt-worker");
        assertThat(worker.getSpec().getReplicas()).isEqualTo(2);
        PodSpec pod = worker.getSpec().getTemplate().getSpec();
        // A ReadWriteOnce claim admits the pods of one node: both replicas must land on secret-sync's.
        assertThat(pod.getAffinity().getPodAffinity().getRequiredDuringSchedulingIgnoredDuringExecution())
                .anySatisfy(t -> {
                    assertThat(t.getTopologyKey()).isEqualTo("kubernetes.io/hostname");
                    assertThat(t.getLabelSelector().getMatchLabels())
                            .containsEntry("app.kubernetes.io/name", "secret-sync");
                });
        assertThat(pod.getVolumes()).filteredOn(v -> v.getPersistentVolumeClaim() != null)
                .allSatisfy(v -> assertThat(v.getPersistentVolumeClaim().getReadOnly()).isTrue());
        assertThat(pod.getContainers().get(0).getVolumeMounts()).filteredOn(m -> m.getName().equals("data"))
                .allSatisfy(m -> assertThat(m.getReadOnly()).isTrue());
    }

    @Test
    void theNotifierRunsTwoReplicasOnPostgresql() {
        Deployment notifier = deployment("notifier");
        assertThat(notifier.getSpec().getReplicas()).isEqualTo(2);
        Container c = notifier.getSpec().getTemplate().getSpec().getContainers().get(0);
        for (String variable : List.of("QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_USERNAME",
                "QUARKUS_DATASOURCE_PASSWORD")) {
            assertThat(env(c, variable).getValueFrom().getSecretKeyRef().getName()).as(variable)
                    .isEqualTo("rotor-postgres");
        }
        // No volume of its own: its state is in the database, shared by both replicas.
        assertThat(notifier.getSpec().getTemplate().getSpec().getVolumes())
                .noneMatch(v -> v.getPersistentVolumeClaim() != null);
    }

    @Test
    void theManagementPortIsOpenToTheMonitoringNamespaceOnly() {
        List<NetworkPolicy> policies = of(NetworkPolicy.class);
        List<String> opening = new ArrayList<>();
        for (NetworkPolicy policy : policies) {
            for (NetworkPolicyIngressRule rule : policy.getSpec().getIngress()) {
                assertThat(rule.getPorts()).as(policy.getMetadata().getName() + ": an ingress rule names its ports")
                        .isNotEmpty();
                boolean management = rule.getPorts().stream().anyMatch(p -> "management".equals(
                        p.getPort().getStrVal()) || Services.NAMES.stream().anyMatch(s -> Integer.valueOf(
                        Services.config(s).managementPort()).equals(p.getPort().getIntVal())));
                if (management) {
                    opening.add(policy.getMetadata().getName());
                    assertThat(rule.getFrom()).singleElement().satisfies(peer -> {
                        assertThat(peer.getPodSelector()).isNull();
                        assertThat(peer.getNamespaceSelector().getMatchLabels())
                                .containsExactly(java.util.Map.entry("kubernetes.io/metadata.name", "monitoring"));
                    });
                }
            }
        }
        assertThat(opening).containsExactly("rotor-management");
        NetworkPolicy management = policies.stream().filter(p -> p.getMetadata().getName().equals(
                "rotor-management")).findFirst().orElseThrow();
        assertThat(management.getSpec().getPodSelector().getMatchLabels())
                .containsExactly(java.util.Map.entry("app.kubernetes.io/part-of", "rotor"));
    }

    private static Deployment deployment(String name) {
        return of(Deployment.class).stream().filter(d -> d.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow();
    }

    private static EnvVar env(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst().orElseThrow();
    }

    private static List<JsonNode> custom(String kind) {
        return CUSTOM.stream().filter(r -> r.path("kind").asText().equals(kind)).toList();
    }

    private static <T> List<T> of(Class<T> type) {
        return RESOURCES.stream().filter(type::isInstance).map(type::cast).toList();
    }
}

package dev.rotor.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rotor.contracts.catalog.CatalogLoader;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/k8s/overlays/vault, rendered (base plus its strategic merge patches, {@link StrategicMerge}) and checked as
 * the base is: every resulting manifest against its model or CRD schema with unknown fields refused, every variable
 * against the service's configuration; then what the overlay is for: two secret-sync replicas on Vault with no volume
 * claim, the workers reading keys from Vault off secret-sync's node, and a catalog on the Vault store only.
 */
class VaultOverlayTest {
    private static final Path DIR = Repo.path("deploy/k8s/overlays/vault");
    private static final List<HasMetadata> RESOURCES = new ArrayList<>();

    @BeforeAll
    static void render() {
        for (JsonNode doc : StrategicMerge.render(DIR)) {
            if (CustomResources.isCustom(doc)) {
                CustomResources.check(doc);
            } else {
                RESOURCES.add(StrictModel.parse(doc));
            }
        }
    }

    @Test
    void everyFileIsListedAndEveryListedFileExists() throws IOException {
        Kustomization.checkOverlayLists(DIR);
    }

    @Test
    void everyDeploymentSetsOnlyVariablesItsServiceReadsAndCredentialsFromSecrets() {
        assertThat(of(Deployment.class)).extracting(d -> d.getMetadata().getName())
                .containsExactlyInAnyOrderElementsOf(Services.NAMES);
        for (Deployment d : of(Deployment.class)) {
            String service = d.getMetadata().getName();
            ServiceConfig config = Services.config(service);
            PodSpec pod = d.getSpec().getTemplate().getSpec();
            Container c = pod.getContainers().get(0);
            assertThat(c.getEnv()).allSatisfy(e ->
                    assertThat(config.reads(e.getName())).as(service + " reads " + e.getName()).isTrue());
            assertThat(c.getEnv()).filteredOn(e -> Repo.isCredential(e.getName())).allSatisfy(e -> {
                assertThat(e.getValue()).as(service + " " + e.getName()).isNull();
                assertThat(e.getValueFrom().getSecretKeyRef()).as(service + " " + e.getName()).isNotNull();
            });
            Set<String> volumes = pod.getVolumes().stream().map(v -> v.getName()).collect(Collectors.toSet());
            assertThat(c.getVolumeMounts()).as(service + ": every mount has its volume")
                    .allSatisfy(m -> assertThat(volumes).contains(m.getName()));
            assertThat(pod.getVolumes()).as(service).noneMatch(v -> v.getPersistentVolumeClaim() != null);
        }
        assertThat(of(PersistentVolumeClaim.class)).as("no claim is created").isEmpty();
    }

    @Test
    void secretSyncRunsTwoReplicasOnVaultWithTheLocalStoreDisabled() {
        Deployment sync = deployment("secret-sync");
        assertThat(sync.getSpec().getReplicas()).isEqualTo(2);
        assertThat(sync.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
        PodSpec pod = sync.getSpec().getTemplate().getSpec();
        assertThat(pod.getInitContainers()).isEmpty();
        Container c = pod.getContainers().get(0);
        assertThat(env(c, "ROTOR_SYNC_LOCAL_STORE_ENABLED").getValue()).isEqualTo("false");
        assertThat(env(c, "ROTOR_SYNC_VAULT_ADDRESS").getValue()).startsWith("https://");
        assertThat(env(c, "ROTOR_SYNC_VAULT_AUTH").getValue()).isEqualTo("approle");
        assertThat(secretRef(c, "ROTOR_SYNC_VAULT_APPROLE_ROLE_ID")).isEqualTo("rotor-vault/sync-role-id");
        assertThat(secretRef(c, "ROTOR_SYNC_VAULT_APPROLE_SECRET_ID")).isEqualTo("rotor-vault/sync-secret-id");
        // Its home, where the (empty) local keystore is locked, is each pod's own.
        assertThat(pod.getVolumes()).filteredOn(v -> v.getName().equals("data")).singleElement()
                .satisfies(v -> assertThat(v.getEmptyDir()).isNotNull());
        assertThat(env(c, "ROTOR_HOME").getValue()).isEqualTo("/var/lib/rotor");
    }

    @Test
    void theWorkersReadKeysFromVaultAndAreNotPinnedToSecretSyncsNode() {
        Deployment worker = deployment("reencrypt-worker");
        assertThat(worker.getSpec().getReplicas()).isEqualTo(2);
        PodSpec pod = worker.getSpec().getTemplate().getSpec();
        assertThat(pod.getAffinity()).isNull();
        Container c = pod.getContainers().get(0);
        assertThat(c.getEnv()).extracting(EnvVar::getName).doesNotContain("ROTOR_HOME", "ROTOR_KEYSTORE_PASSWORD");
        assertThat(env(c, "ROTOR_REENCRYPT_VAULT_ADDRESS").getValue())
                .isEqualTo(env(deployment("secret-sync").getSpec().getTemplate().getSpec().getContainers().get(0),
                        "ROTOR_SYNC_VAULT_ADDRESS").getValue());
        assertThat(secretRef(c, "ROTOR_REENCRYPT_VAULT_APPROLE_ROLE_ID")).isEqualTo("rotor-vault/worker-role-id");
        assertThat(secretRef(c, "ROTOR_REENCRYPT_VAULT_APPROLE_SECRET_ID"))
                .isEqualTo("rotor-vault/worker-secret-id");
        assertThat(c.getVolumeMounts()).extracting(m -> m.getName()).containsExactlyInAnyOrder("tmp", "auth",
                "signing");
        // Its base policy opens only PostgreSQL; the overlay's adds Vault's ports for the workers alone.
        NetworkPolicy vault = of(NetworkPolicy.class).stream()
                .filter(p -> p.getMetadata().getName().equals("reencrypt-worker-vault")).findFirst().orElseThrow();
        assertThat(vault.getSpec().getPodSelector().getMatchLabels())
                .containsExactly(java.util.Map.entry("app.kubernetes.io/name", "reencrypt-worker"));
        assertThat(vault.getSpec().getEgress()).singleElement().satisfies(rule -> assertThat(rule.getPorts())
                .extracting(p -> p.getPort().getIntVal()).containsExactly(8200, 443));
    }

    @Test
    void theCatalogKeepsEverySecretInVaultAndPushesToVaultFieldsOnly() {
        ConfigMap catalog = of(ConfigMap.class).stream()
                .filter(m -> m.getMetadata().getName().equals("rotor-catalog")).findFirst().orElseThrow();
        var secrets = CatalogLoader.parse(catalog.getData().get("catalog.yaml"), "rotor-catalog").secrets();
        assertThat(secrets).isNotEmpty().allSatisfy(s -> {
            assertThat(s.store().type()).as(s.id()).isEqualTo("vault");
            assertThat(s.targets()).as(s.id()).allSatisfy(t -> assertThat(t.type()).isEqualTo("vault-kv"));
        });
    }

    @Test
    void aPatchOfNothingOrADeleteOfNothingIsRefused() throws IOException {
        Path dir = Files.createTempDirectory("overlay");
        Files.writeString(dir.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources: [ %s ]
                patches: [ { path: p.yaml } ]
                """.formatted(Repo.path("deploy/k8s/base")));
        Files.writeString(dir.resolve("p.yaml"), """
                apiVersion: apps/v1
                kind: Deployment
                metadata: { name: secret-synk }
                spec: { replicas: 2 }
                """);
        assertThatThrownBy(() -> StrategicMerge.render(dir)).hasMessageContaining("names Deployment secret-synk");
        Files.writeString(dir.resolve("p.yaml"), """
                apiVersion: apps/v1
                kind: Deployment
                metadata: { name: secret-sync }
                spec: { template: { spec: { volumes: [ { name: dat, $patch: delete } ] } } }
                """);
        assertThatThrownBy(() -> StrategicMerge.render(dir)).hasMessageContaining("delete of 'dat'");
    }

    private static Deployment deployment(String name) {
        return of(Deployment.class).stream().filter(d -> d.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow();
    }

    private static EnvVar env(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(c.getName() + " has no " + name));
    }

    private static String secretRef(Container c, String name) {
        var ref = env(c, name).getValueFrom().getSecretKeyRef();
        return ref.getName() + "/" + ref.getKey();
    }

    private static <T> List<T> of(Class<T> type) {
        return RESOURCES.stream().filter(type::isInstance).map(type::cast).toList();
    }
}

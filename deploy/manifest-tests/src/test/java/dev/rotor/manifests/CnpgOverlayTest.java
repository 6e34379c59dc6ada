package dev.rotor.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** deploy/k8s/overlays/cnpg: the CloudNativePG Cluster against its CRD schema, and the orchestrator's patch. */
class CnpgOverlayTest {
    private static final Path DIR = Repo.path("deploy/k8s/overlays/cnpg");

    @Test
    void everyFileIsListedAndEveryListedFileExists() throws IOException {
        Kustomization.checkOverlayLists(DIR);
        assertThat(Files.exists(DIR.resolve("../../base/kustomization.yaml"))).isTrue();
    }

    @Test
    void theClusterFollowsTheCrdAndTheOtherResourcesTheirModels() {
        List<JsonNode> docs = Repo.yamlDocuments(DIR.resolve("postgres-cluster.yaml"));
        JsonNode cluster = docs.stream().filter(d -> d.path("kind").asText().equals("Cluster")).findFirst()
                .orElseThrow();
        assertThat(cluster.path("apiVersion").asText()).isEqualTo("postgresql.cnpg.io/v1");
        CustomResources.check(cluster);
        assertThat(cluster.path("spec").path("bootstrap").path("initdb").path("database").asText())
                .isEqualTo("orchestrator");
        docs.stream().filter(d -> d != cluster).forEach(StrictModel::parse);
    }

    @Test
    void theClusterSchemaRefusesAnUnknownFieldAndAWrongType() {
        JsonNode bad = Repo.yamlDocuments("""
                apiVersion: postgresql.cnpg.io/v1
                kind: Cluster
                metadata: { name: x }
                spec: { instances: two, storage: { size: 1Gi, sise: 2Gi } }
                """).get(0);
        assertThatThrownBy(() -> CustomResources.check(bad)).hasMessageContaining("/spec/instances")
                .hasMessageContaining("sise");
    }

    @Test
    void thePatchesNameTheBaseDeploymentsAndVariablesTheyRead() {
        for (String service : List.of("orchestrator", "notifier")) {
            HasMetadata patch = StrictModel.parse(Repo.yaml(DIR.resolve(service + "-database.yaml")));
            Deployment deployment = (Deployment) patch;
            assertThat(deployment.getMetadata().getName()).isEqualTo(service);
            var container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertThat(container.getName()).isEqualTo(service);
            ServiceConfig config = Services.config(service);
            assertThat(container.getEnv()).extracting(EnvVar::getName).allSatisfy(n ->
                    assertThat(config.reads(n)).as(service + " reads " + n).isTrue());
            assertThat(container.getEnv()).filteredOn(e -> e.getValueFrom() != null).allSatisfy(e ->
                    assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("rotor-db-app"));
        }
    }
}

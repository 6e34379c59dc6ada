package dev.rotor.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The checks refuse what they exist to refuse: without these, a check that accepts everything would pass. */
class NegativeChecksTest {

    @Test
    void anUnknownFieldInADeploymentIsRefusedWithItsPath() {
        String yaml = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: { name: x }
                spec:
                  template:
                    spec:
                      containers:
                        - name: x
                          image: x
                          readinessProbe: { httpGet: { path: /q/health/ready, port: 8080 } }
                          securityContext: { readOnlyRootFileSystem: true }
                """;
        assertThatThrownBy(() -> StrictModel.parse(Repo.yamlDocuments(yaml).get(0)))
                .hasMessageContaining("Deployment/x.spec.template.spec.containers[0].securityContext"
                        + ".readOnlyRootFileSystem");
    }

    @Test
    void anUnknownFieldOrAWrongEnumInAKafkaUserIsRefused() {
        String user = """
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaUser
                metadata: { name: u }
                spec:
                  authentication: { type: scram-sha-512 }
                  authorisation: { type: simple }
                """;
        assertThatThrownBy(() -> CustomResources.check(Repo.yamlDocuments(user).get(0)))
                .hasMessageContaining("KafkaUser/u").hasMessageContaining("authorisation");
        String pattern = """
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaUser
                metadata: { name: u }
                spec:
                  authorization:
                    type: simple
                    acls: [ { resource: { type: group, name: g, patternType: prefixed }, operations: [ Read ] } ]
                """;
        assertThatThrownBy(() -> CustomResources.check(Repo.yamlDocuments(pattern).get(0)))
                .hasMessageContaining("patternType");
    }

    @Test
    void anUnknownKindIsRefused() {
        String yaml = "apiVersion: example.com/v1\nkind: Widget\nmetadata: { name: w }\n";
        assertThatThrownBy(() -> StrictModel.parse(Repo.yamlDocuments(yaml).get(0)))
                .hasMessageContaining("no model knows example.com/v1 Widget");
    }

    @Test
    void aMisspeltComposeKeyIsAnError() {
        String yaml = "services:\n  a:\n    image: x\n    healthcheck: { test: [ CMD, 'true' ], intervall: 5s }\n";
        assertThat(ComposeManifestTest.schemaErrors(Repo.yamlDocuments(yaml).get(0)))
                .anySatisfy(e -> assertThat(e).contains("intervall"));
    }

    @Test
    void onlyVariablesTheServiceReadsAreAccepted() {
        ServiceConfig orchestrator = Services.config("orchestrator");
        assertThat(orchestrator.reads("ROTOR_CATALOG")).isTrue();
        assertThat(orchestrator.reads("QUARKUS_DATASOURCE_JDBC_URL")).isTrue();
        assertThat(orchestrator.reads("ROTOR_SIGNING_COMMAND_KEY")).as("a @ConfigMapping member").isTrue();
        assertThat(orchestrator.reads("KAFKA_SASL_JAAS_CONFIG")).as("a Kafka client setting").isTrue();
        assertThat(orchestrator.reads("ROTOR_CATALOGUE")).isFalse();
        assertThat(orchestrator.reads("KAFKA_SASL_JASS_CONFIG")).isFalse();
        assertThat(orchestrator.reads("ROTOR_SIGNING_COMMAND_VERIFY_KEY")).as("only the workers verify").isFalse();
        ServiceConfig worker = Services.config("reencrypt-worker");
        assertThat(worker.reads("ROTOR_REENCRYPT_DATASOURCES_TOOLJET_URL")).as("a map key").isTrue();
        assertThat(worker.reads("ROTOR_REENCRYPT_DATASOURCES_TOOLJET_URI")).isFalse();
        assertThat(worker.reads("QUARKUS_DATASOURCE_JDBC_URL")).isFalse();
    }
}

package dev.rotor.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.rotor.contracts.catalog.CatalogLoader;
import dev.rotor.local.KafkaPrincipals;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.Test;

/** deploy/compose: the Compose Specification's schema, and each service against its configuration. */
class ComposeManifestTest {
    private static final Path DIR = Repo.path("deploy/compose");
    private static final Pattern DEFAULTED = Pattern.compile("\\$\\{[A-Z_]+:-([^}]*)}");

    static List<String> schemaErrors(JsonNode compose) {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7);
        // compose-spec.json is schema/compose-spec.json of github.com/compose-spec/compose-spec (Apache-2.0),
        // with additionalProperties false nearly everywhere: an unknown or misspelt key is an error.
        // Its $schema and $id are dropped: the dialect is given, and a relative $id is no base to resolve against.
        String text = Repo.read(Path.of("src/test/resources/compose-spec.json"))
                .replace("\"$schema\": \"https://json-schema.org/draft-07/schema\",", "")
                .replace("\"$id\": \"compose_spec.json\",", "");
        Schema schema = registry.getSchema(SchemaLocation.of("urn:rotor:compose-spec"), text, InputFormat.JSON);
        List<String> errors = new ArrayList<>();
        for (Error e : schema.validate(compose)) {
            errors.add(e.getInstanceLocation() + ": " + e.getMessage());
        }
        return errors;
    }

    @Test
    void composeFileFollowsTheComposeSpecification() {
        assertThat(schemaErrors(Repo.yaml(DIR.resolve("compose.yaml")))).isEmpty();
    }

    @Test
    void everyServiceRunsAsItIsConfigured() {
        JsonNode services = Repo.yaml(DIR.resolve("compose.yaml")).path("services");
        for (String name : Services.NAMES) {
            ServiceConfig config = Services.config(name);
            JsonNode s = services.path(name);
            assertThat(s.isObject()).as(name + " is in compose.yaml").isTrue();
            assertThat(interpolateDefaults(s.path("image").asText())).isEqualTo(config.image() + ":" + Repo.VERSION);
            // Only the public port is published; the management port (/q) stays on the project's network.
            assertThat(s.path("ports")).singleElement().extracting(JsonNode::asText)
                    .isEqualTo(config.httpPort() + ":" + config.httpPort());
            List<String> env = new ArrayList<>();
            s.path("environment").fieldNames().forEachRemaining(env::add);
            assertThat(env).as(name).allSatisfy(e -> assertThat(config.reads(e)).as(name + " reads " + e).isTrue());
            assertThat(s.path("environment").path("KAFKA_SASL_JAAS_CONFIG").asText())
                    .contains("ScramLoginModule required username=\"" + name + "\"");
            assertThat(s.path("environment").path("KAFKA_SASL_MECHANISM").asText()).isEqualTo("SCRAM-SHA-512");
            assertThat(s.path("healthcheck").path("test").toString())
                    .contains("/dev/tcp/127.0.0.1/" + config.managementPort(), "GET /q/health/ready");
            List<String> mounts = new ArrayList<>();
            s.path("volumes").forEach(v -> mounts.add(v.asText().split(":")[1]));
            s.path("environment").fields().forEachRemaining(e -> {
                String value = e.getValue().asText().replaceFirst("^file:", "");
                if (value.startsWith("/etc/rotor/") || value.startsWith("/var/lib/rotor")) {
                    assertThat(mounts).as(name + ": " + e.getKey() + " names a mounted path")
                            .anySatisfy(m -> assertThat(value + "/").startsWith(m + "/"));
                }
            });
        }
        assertThat(services.path("secret-sync").path("volumes").toString()).contains("rotor-store:/var/lib/rotor\"");
    }

    @Test
    void prometheusScrapesEveryServiceOnItsManagementPort() {
        JsonNode prometheus = Repo.yaml(Repo.path("deploy/observability/prometheus.yaml"));
        List<String> targets = new ArrayList<>();
        prometheus.path("scrape_configs").forEach(job -> {
            assertThat(job.path("metrics_path").asText()).as(job.path("job_name").asText()).isEqualTo("/q/metrics");
            job.path("static_configs").forEach(c -> c.path("targets").forEach(t -> targets.add(t.asText())));
        });
        assertThat(targets).containsExactlyInAnyOrderElementsOf(Services.NAMES.stream()
                .map(s -> s + ":" + Services.config(s).managementPort()).toList());
        assertThat(prometheus.path("rule_files").get(0).asText()).isEqualTo("rotor-alerts.yaml");
    }

    @Test
    void brokerTopicsUsersAndAclsMatchTheLocalBroker() {
        List<String> topics = Repo.tableLines(DIR.resolve("kafka/topics.txt"));
        assertThat(topics.stream().map(t -> t.split(" ")[0]))
                .containsExactlyInAnyOrderElementsOf(KafkaPrincipals.topics());
        assertThat(topics).allSatisfy(t -> assertThat(t.split(" ").length > 1 ? Optional.of(Integer.valueOf(
                t.split(" ")[1])) : Optional.empty()).as(t).isEqualTo(KafkaPrincipals.partitions(t.split(" ")[0])));
        assertThat(new HashSet<>(Repo.tableLines(DIR.resolve("kafka/acls.txt"))))
                .hasSize(Repo.tableLines(DIR.resolve("kafka/acls.txt")).size())
                .isEqualTo(KafkaAccess.localBroker());
        Matcher users = Pattern.compile("for user in ([a-z\\- ]+);").matcher(Repo.read(DIR.resolve("kafka/start.sh")));
        assertThat(users.find()).isTrue();
        assertThat(users.group(1).split(" ")).containsExactlyInAnyOrderElementsOf(KafkaPrincipals.SERVICES);
        JsonNode kafka = Repo.yaml(DIR.resolve("compose.yaml")).path("services").path("kafka");
        assertThat(kafka.path("image").asText()).as("the broker runs the clients' Kafka version")
                .isEqualTo("apache/kafka:" + AppInfoParser.getVersion());
        for (String service : KafkaPrincipals.SERVICES) {
            String variable = "ROTOR_KAFKA_" + service.toUpperCase().replace('-', '_') + "_PASSWORD";
            assertThat(kafka.path("environment").has(variable)).as(variable).isTrue();
        }
    }

    @Test
    void credentialsComeOnlyFromTheEnvFile() {
        List<String> credentials = new ArrayList<>();
        Repo.yaml(DIR.resolve("compose.yaml")).path("services").forEach(s -> s.path("environment").fields()
                .forEachRemaining(e -> {
                    if (Repo.isCredential(e.getKey())) {
                        credentials.add(e.getKey());
                        assertThat(e.getValue().asText().replaceAll("\\$\\{[A-Z_]+(:\\?[^}]*)?}", ""))
                                .as(e.getKey() + " holds no literal credential")
                                .satisfiesAnyOf(v -> assertThat(v).isEmpty(),
                                        v -> assertThat(v).endsWith("password=\"\";"));
                    }
                }));
        assertThat(credentials).contains("KAFKA_SASL_JAAS_CONFIG", "QUARKUS_DATASOURCE_PASSWORD",
                "ROTOR_KEYSTORE_PASSWORD", "ROTOR_KAFKA_ADMIN_PASSWORD", "POSTGRES_PASSWORD");
        assertThat(Repo.tableLines(DIR.resolve(".env.example"))).allSatisfy(line ->
                assertThat(line).as("the example sets no credential").satisfiesAnyOf(
                        l -> assertThat(l).endsWith("="), l -> assertThat(l).startsWith("ROTOR_VERSION=")));
    }

    @Test
    void theCatalogIsValid() {
        assertThat(CatalogLoader.load(DIR.resolve("catalog.yaml")).secrets()).extracting(e -> e.id())
                .containsExactly("jwt-secret");
    }

    private static String interpolateDefaults(String value) {
        return DEFAULTED.matcher(value).replaceAll(m -> Matcher.quoteReplacement(m.group(1)));
    }
}

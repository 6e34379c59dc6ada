package dev.rotor.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The custom resources the manifests use, each with its CRD's schema (src/test/resources): Strimzi 1.2.0's
 * {@code kafka.strimzi.io/v1} (packaging/install/cluster-operator/04x-Crd-*.yaml) and CloudNativePG 1.30.0's
 * {@code postgresql.cnpg.io/v1} Cluster, each the CRD's openAPIV3Schema without its descriptions (Apache-2.0).
 */
final class CustomResources {
    private static final Map<String, String> SCHEMAS = Map.of(
            "kafka.strimzi.io/v1 Kafka", "strimzi-kafka-v1",
            "kafka.strimzi.io/v1 KafkaNodePool", "strimzi-kafkanodepool-v1",
            "kafka.strimzi.io/v1 KafkaTopic", "strimzi-kafkatopic-v1",
            "kafka.strimzi.io/v1 KafkaUser", "strimzi-kafkauser-v1",
            "postgresql.cnpg.io/v1 Cluster", "cnpg-cluster-v1");
    private static final Map<String, CrdSchema> LOADED = new java.util.concurrent.ConcurrentHashMap<>();

    private CustomResources() {
    }

    /** Whether the document's apiVersion is one of the CRD groups above; any other goes to {@link StrictModel}. */
    static boolean isCustom(JsonNode doc) {
        String apiVersion = doc.path("apiVersion").asText() + " ";
        return SCHEMAS.keySet().stream().anyMatch(k -> k.startsWith(apiVersion));
    }

    /** Throws naming the resource and every schema error, among them each unknown field. */
    static JsonNode check(JsonNode doc) {
        String key = doc.path("apiVersion").asText() + " " + doc.path("kind").asText();
        String schema = SCHEMAS.get(key);
        String name = doc.path("kind").asText() + "/" + doc.path("metadata").path("name").asText();
        if (schema == null) {
            throw new IllegalArgumentException(name + ": no schema for " + key);
        }
        List<String> errors = LOADED.computeIfAbsent(schema,
                s -> CrdSchema.load(Path.of("src/test/resources/" + s + ".schema.json"))).errors(doc);
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(name + ": " + String.join("; ", errors));
        }
        return doc;
    }
}

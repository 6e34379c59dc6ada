package dev.rotor.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A custom resource checked against its CRD's OpenAPI v3 schema, as the API server checks it, with one difference: an
 * unknown field is an error here, where the API server would silently prune it. The schema is turned into JSON Schema
 * (draft 7) once: every object that lists properties and neither allows more nor preserves unknown fields gets
 * {@code additionalProperties: false}; {@code x-kubernetes-int-or-string} becomes integer-or-string; {@code nullable}
 * admits null. CEL rules ({@code x-kubernetes-validations}) are not evaluated. {@code metadata} is read strictly by
 * fabric8's ObjectMeta.
 *
 * <p>{@code cnpg-cluster-v1.schema.json} is the {@code v1} openAPIV3Schema of CloudNativePG 1.30.0's
 * {@code config/crd/bases/postgresql.cnpg.io_clusters.yaml} (Apache-2.0), with the descriptions removed.
 */
final class CrdSchema {
    private final Schema schema;

    private CrdSchema(Schema schema) {
        this.schema = schema;
    }

    static CrdSchema load(Path openApiSchema) {
        JsonNode source = Repo.yaml(openApiSchema);
        JsonNode converted = convert(source.deepCopy());
        return new CrdSchema(SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7)
                .getSchema(SchemaLocation.of("urn:rotor:" + openApiSchema.getFileName()), converted));
    }

    List<String> errors(JsonNode resource) {
        List<String> errors = new ArrayList<>();
        for (Error e : schema.validate(resource)) {
            errors.add(e.getInstanceLocation() + ": " + e.getMessage());
        }
        try {
            ObjectMeta meta = Repo.JSON.treeToValue(resource.path("metadata"), ObjectMeta.class);
            meta.getAdditionalProperties().keySet().forEach(k -> errors.add("$.metadata." + k + ": unknown field"));
        } catch (Exception e) {
            errors.add("$.metadata: " + e.getMessage());
        }
        return errors;
    }

    private static JsonNode convert(JsonNode node) {
        if (node instanceof ArrayNode array) {
            array.forEach(CrdSchema::convert);
        } else if (node instanceof ObjectNode object) {
            if (object.path("x-kubernetes-int-or-string").asBoolean()) {
                object.remove("type");
                object.set("anyOf",
                        Repo.JSON.valueToTree(List.of(Map.of("type", "integer"), Map.of("type", "string"))));
            }
            if (object.path("nullable").asBoolean() && object.has("type")) {
                object.set("type", Repo.JSON.valueToTree(List.of(object.get("type").asText(), "null")));
            }
            if (object.has("properties") && !object.has("additionalProperties")
                    && !object.path("x-kubernetes-preserve-unknown-fields").asBoolean()) {
                object.put("additionalProperties", false);
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (field.getKey().startsWith("x-kubernetes-") || field.getKey().equals("nullable")) {
                    it.remove();
                } else if (!field.getKey().equals("enum") && !field.getKey().equals("default")) {
                    convert(field.getValue());
                }
            }
        }
        return node;
    }
}

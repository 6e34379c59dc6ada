package dev.rotor.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The part of {@code kustomize build} an overlay of strategic merge patches needs, so that its result can be checked
 * as the base is (kustomize itself is not installable here): the base's documents, then each patch applied to the
 * document of the same kind and name. Maps merge key by key and a {@code null} removes a key; the lists Kubernetes
 * merges by {@code name} (containers, env, volumes, volume mounts) merge element by element, and an element
 * or a whole document with {@code $patch: delete} is removed. Other lists are replaced, as Kubernetes does.
 */
final class StrategicMerge {
    private static final Set<String> MERGED_BY_NAME = Set.of("containers", "initContainers", "env", "volumes",
            "volumeMounts");

    private StrategicMerge() {
    }

    /** The overlay's documents: its resources (the base's, rendered the same way), patched. */
    static List<JsonNode> render(Path dir) {
        List<JsonNode> docs = new ArrayList<>();
        for (String resource : Kustomization.resources(dir)) {
            Path p = dir.resolve(resource).normalize();
            if (p.toFile().isDirectory()) {
                docs.addAll(render(p));
            } else {
                Repo.yamlDocuments(p).forEach(d -> docs.add(d.deepCopy()));
            }
        }
        for (JsonNode entry : Repo.yaml(dir.resolve("kustomization.yaml")).path("patches")) {
            JsonNode patch = Repo.yaml(dir.resolve(entry.path("path").asText()));
            JsonNode target = docs.stream().filter(d -> same(d, patch)).findFirst().orElseThrow(() ->
                    new IllegalStateException(dir + ": patch " + entry.path("path").asText() + " names "
                            + patch.path("kind").asText() + " " + patch.path("metadata").path("name").asText()
                            + ", which no resource is"));
            if ("delete".equals(patch.path("$patch").asText())) {
                docs.remove(target);
            } else {
                merge((ObjectNode) target, (ObjectNode) patch);
            }
        }
        return docs;
    }

    private static boolean same(JsonNode a, JsonNode b) {
        return a.path("kind").equals(b.path("kind")) && a.path("metadata").path("name")
                .equals(b.path("metadata").path("name"));
    }

    private static void merge(ObjectNode target, ObjectNode patch) {
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode mine = target.get(e.getKey());
            JsonNode theirs = e.getValue();
            if (theirs.isNull()) {
                target.remove(e.getKey());
            } else if (mine instanceof ObjectNode m && theirs instanceof ObjectNode t) {
                merge(m, t);
            } else if (mine instanceof ArrayNode m && theirs instanceof ArrayNode t
                    && MERGED_BY_NAME.contains(e.getKey())) {
                mergeByName(m, t);
            } else {
                target.set(e.getKey(), theirs.deepCopy());
            }
        }
    }

    private static void mergeByName(ArrayNode target, ArrayNode patch) {
        for (JsonNode element : patch) {
            String name = element.path("name").asText();
            int at = -1;
            for (int i = 0; i < target.size(); i++) {
                if (target.get(i).path("name").asText().equals(name)) {
                    at = i;
                }
            }
            if ("delete".equals(element.path("$patch").asText())) {
                if (at < 0) {
                    throw new IllegalStateException("$patch: delete of '" + name + "', which the list does not hold");
                }
                target.remove(at);
            } else if (at >= 0) {
                merge((ObjectNode) target.get(at), (ObjectNode) element);
            } else {
                target.add(element.deepCopy());
            }
        }
    }
}

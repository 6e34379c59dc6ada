package dev.rotor.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code resources} of a kustomization.yaml, each checked to exist (kustomize itself is not installable here;
 * this is the part of {@code kustomize build} that a missing or misspelt file breaks).
 */
final class Kustomization {
    private Kustomization() {
    }

    static List<String> resources(Path dir) {
        JsonNode k = Repo.yaml(dir.resolve("kustomization.yaml"));
        if (!k.path("kind").asText().equals("Kustomization")) {
            throw new IllegalStateException(dir + "/kustomization.yaml is not a Kustomization");
        }
        List<String> files = new ArrayList<>();
        k.path("resources").forEach(r -> {
            if (!Files.exists(dir.resolve(r.asText()))) {
                throw new IllegalStateException(dir + "/kustomization.yaml lists " + r.asText() + ", which is missing");
            }
            files.add(r.asText());
        });
        return files;
    }
}

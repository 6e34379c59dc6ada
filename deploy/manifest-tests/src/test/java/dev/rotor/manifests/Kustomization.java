package dev.rotor.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

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

    /**
     * An overlay's resources and patches, as listed: the base among them, and each of its own files exactly once (a
     * file in the folder that is not listed would silently not be applied).
     */
    static List<String> checkOverlayLists(Path dir) throws java.io.IOException {
        JsonNode k = Repo.yaml(dir.resolve("kustomization.yaml"));
        List<String> listed = new ArrayList<>(resources(dir));
        k.path("patches").forEach(p -> listed.add(p.path("path").asText()));
        org.assertj.core.api.Assertions.assertThat(listed).contains("../../base");
        try (Stream<Path> files = Files.list(dir)) {
            Set<String> yaml = files.map(f -> f.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml")).collect(Collectors.toSet());
            org.assertj.core.api.Assertions.assertThat(listed.stream().filter(f -> !f.startsWith("../")))
                    .containsExactlyInAnyOrderElementsOf(yaml);
        }
        return listed;
    }
}

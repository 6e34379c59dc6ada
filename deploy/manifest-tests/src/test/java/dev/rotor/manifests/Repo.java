package dev.rotor.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The checkout the tests read (set by the POM), and YAML read as SnakeYAML does: anchors and {@code <<} merges
 * resolved, as Docker Compose resolves them.
 */
final class Repo {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path ROOT = Path.of(System.getProperty("rotor.root", "../..")).toAbsolutePath().normalize();
    /** The project version: the tag every Rotor image in the manifests must carry. */
    static final String VERSION = System.getProperty("rotor.version", "0.1.0-SNAPSHOT");

    private Repo() {
    }

    static Path path(String relative) {
        return ROOT.resolve(relative);
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every document of a YAML stream, as JSON trees; documents holding only comments are skipped. */
    static List<JsonNode> yamlDocuments(Path file) {
        return yamlDocuments(read(file));
    }

    static List<JsonNode> yamlDocuments(String yaml) {
        List<JsonNode> docs = new ArrayList<>();
        for (Object doc : new Yaml(new LoaderOptions()).loadAll(yaml)) {
            if (doc != null) {
                docs.add(JSON.valueToTree(doc));
            }
        }
        return docs;
    }

    /** Whether a variable of this name holds a credential, which a manifest may only reference, never spell out. */
    static boolean isCredential(String variable) {
        return variable.matches(".*(PASSWORD|JAAS_CONFIG|TOKEN|SECRET).*");
    }

    static JsonNode yaml(Path file) {
        List<JsonNode> docs = yamlDocuments(file);
        if (docs.size() != 1) {
            throw new IllegalStateException(file + " holds " + docs.size() + " documents, not 1");
        }
        return docs.get(0);
    }

    /** The non-comment, non-blank lines of a table file. */
    static List<String> tableLines(Path file) {
        return read(file).lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }
}

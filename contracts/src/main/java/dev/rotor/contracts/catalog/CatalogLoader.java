package dev.rotor.contracts.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Reads and validates the YAML catalog. Strict: an unknown field is refused, since a typo in a rotation policy must not
 * pass silently.
 */
public final class CatalogLoader {
    private static final ObjectMapper YAML = JsonMapper.builder(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    /** Fields that would hold a channel's secret literally, and where that secret goes instead. */
    private static final Map<String, String> SECRET_FIELDS = Map.of(
            "routing-key", "name the environment variable that holds it with 'routing-key-env'",
            "integration-key", "name the environment variable that holds it with 'routing-key-env'",
            "token", "name the environment variable that holds it with 'token-env'",
            "bot-token", "name the environment variable that holds it with 'token-env'",
            "webhook-url", "name the environment variable that holds it with 'webhook-url-env'",
            "password", "SMTP credentials come from the notifier's mailer settings (QUARKUS_MAILER_PASSWORD)",
            "smtp-password", "SMTP credentials come from the notifier's mailer settings (QUARKUS_MAILER_PASSWORD)");

    private CatalogLoader() {
    }

    public static Catalog load(Path file) {
        try {
            return parse(Files.readString(file), file.toString());
        } catch (NoSuchFileException e) {
            throw new CatalogException(file.toString(), List.of("file not found"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read catalog " + file, e);
        }
    }

    /** Parses and validates; {@code source} names the catalog in error messages. */
    public static Catalog parse(String yaml, String source) {
        JsonNode tree;
        try {
            tree = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
            throw new CatalogException(source, List.of("not valid YAML (line " + line + ")"));
        }
        if (tree == null || !tree.isObject()) {
            throw new CatalogException(source, List.of("the catalog must be a mapping with a 'secrets' list"));
        }
        Catalog catalog;
        try {
            catalog = YAML.treeToValue(tree, Catalog.class);
        } catch (JsonMappingException e) {
            throw new CatalogException(source, List.of(describe(e, tree)));
        } catch (JsonProcessingException e) {
            throw new CatalogException(source, List.of(e.getOriginalMessage()));
        }
        List<String> problems = new CatalogValidator(catalog).problems();
        if (!problems.isEmpty()) {
            throw new CatalogException(source, problems);
        }
        return catalog;
    }

    private static String describe(JsonMappingException e, JsonNode tree) {
        StringBuilder path = new StringBuilder();
        JsonNode node = tree;
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
                node = node == null ? null : node.get(ref.getFieldName());
            } else {
                node = node == null ? null : node.get(ref.getIndex());
                JsonNode id = node == null ? null : node.get("id");
                path.append('[').append(id != null && id.isTextual() ? id.asText() : ref.getIndex()).append(']');
            }
        }
        String what;
        if (e instanceof UnrecognizedPropertyException u && SECRET_FIELDS.containsKey(u.getPropertyName())) {
            // Never the value: it is the secret.
            what = "refused: a secret never goes in the catalog; " + SECRET_FIELDS.get(u.getPropertyName());
        } else if (e instanceof UnrecognizedPropertyException u) {
            what = "unknown field '" + u.getPropertyName() + "'";
        } else if (e instanceof InvalidFormatException f) {
            what = "'" + f.getValue() + "' is not a valid " + f.getTargetType().getSimpleName();
            if (f.getTargetType().isEnum()) {
                what = "'" + f.getValue() + "' is not one of the allowed values";
            }
        } else {
            what = "wrong type or shape";
        }
        return path + ": " + what;
    }
}

package dev.rotor.orchestrator.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotor.contracts.messages.Trigger;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Set;

/**
 * Reads the body of {@code POST /api/rotations} by hand, so every refusal names its field. The body holds only ids and
 * a free-text reason, never secret material.
 */
@ApplicationScoped
public class RotationRequestParser {
    private static final Set<String> FIELDS = Set.of("secretId", "trigger", "reason", "dryRun");

    @Inject
    ObjectMapper json;

    /** A valid request. */
    public record Parsed(String secretId, Trigger trigger, String reason, boolean dryRun) {
    }

    public Parsed parse(String body) {
        JsonNode node;
        try {
            node = body == null || body.isBlank() ? null : json.readTree(body);
        } catch (JsonProcessingException e) {
            throw ProblemException.badRequest("request body is not valid JSON (line "
                    + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + ")");
        }
        if (node == null || !node.isObject()) {
            throw ProblemException.badRequest("request body must be a JSON object with field 'secretId'");
        }
        node.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                throw ProblemException.badRequest("unknown field '" + name + "'");
            }
        });
        JsonNode secretId = node.get("secretId");
        if (secretId == null || !secretId.isTextual() || secretId.asText().isBlank()) {
            throw ProblemException.badRequest("field 'secretId' is required and must be a non-empty string");
        }
        return new Parsed(secretId.asText(), trigger(node.get("trigger")), reason(node.get("reason")),
                dryRun(node.get("dryRun")));
    }

    private static Trigger trigger(JsonNode node) {
        if (node == null || node.isNull()) {
            return Trigger.MANUAL;
        }
        if (node.isTextual() && (node.asText().equals("MANUAL") || node.asText().equals("EMERGENCY"))) {
            return Trigger.valueOf(node.asText());
        }
        throw ProblemException.badRequest("field 'trigger' must be \"MANUAL\" or \"EMERGENCY\"");
    }

    private static String reason(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual() || node.asText().length() > 500) {
            throw ProblemException.badRequest("field 'reason' must be a string of at most 500 characters");
        }
        return node.asText();
    }

    private static boolean dryRun(JsonNode node) {
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            throw ProblemException.badRequest("field 'dryRun' must be true or false");
        }
        return node.asBoolean();
    }
}

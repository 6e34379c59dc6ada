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
    private static final Set<String> FIELDS = Set.of("secretId", "trigger", "reason", "dryRun",
            "backupCheckOverride");

    @Inject
    ObjectMapper json;

    /** A valid request. */
    public record Parsed(String secretId, Trigger trigger, String reason, boolean dryRun, String backupCheckOverride) {
    }

    public Parsed parse(String body) {
        JsonNode node = object(body == null || body.isBlank() ? null : body, FIELDS,
                "a JSON object with field 'secretId'");
        JsonNode secretId = node.get("secretId");
        if (secretId == null || !secretId.isTextual() || secretId.asText().isBlank()) {
            throw ProblemException.badRequest("field 'secretId' is required and must be a non-empty string");
        }
        return new Parsed(secretId.asText(), trigger(node.get("trigger")), reason(node.get("reason")),
                dryRun(node.get("dryRun")), override(node.get("backupCheckOverride")));
    }

    /** The optional body of approve and deny: nothing, or {@code {"reason": "..."}}; returns the reason or null. */
    public String decisionReason(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        return reason(object(body, Set.of("reason"), "a JSON object, e.g. {\"reason\": \"...\"}").get("reason"));
    }

    /** The body as a JSON object with only {@code allowed} fields; every refusal names the problem. */
    private JsonNode object(String body, Set<String> allowed, String expected) {
        JsonNode node;
        try {
            node = body == null ? null : json.readTree(body);
        } catch (JsonProcessingException e) {
            throw ProblemException.badRequest("request body is not valid JSON (line "
                    + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + ")");
        }
        if (node == null || !node.isObject()) {
            throw ProblemException.badRequest("request body must be " + expected);
        }
        node.fieldNames().forEachRemaining(name -> {
            if (!allowed.contains(name)) {
                throw ProblemException.badRequest("unknown field '" + name + "'");
            }
        });
        return node;
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

    /** Why the backup check is skipped: the audit log keeps it, so it must say something. */
    private static String override(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual() || node.asText().isBlank() || node.asText().length() > 500) {
            throw ProblemException.badRequest("field 'backupCheckOverride' must be a non-empty reason of at most 500"
                    + " characters (it is recorded in the audit log)");
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

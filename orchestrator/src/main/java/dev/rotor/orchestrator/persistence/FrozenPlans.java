package dev.rotor.orchestrator.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rotor.contracts.json.RotorJson;
import dev.rotor.orchestrator.saga.FrozenPlan;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The one serializer of {@link FrozenPlan}: JSON in {@code rotation.frozen_plan}, as
 * {@code {"format":1,"plan":…,"spec":…,"grace":"PT…","drain":…}}. The plan's steps carry their retry policies and
 * flags, so a release that changes {@code Plans} does not change a rotation already running. A stored plan this code
 * cannot read fails loudly, naming the rotation, rather than being replaced by today's plan.
 */
public final class FrozenPlans {
    /** Bumped when the stored form changes; every older format stays readable. */
    static final int FORMAT = 1;
    /** Durations as ISO-8601 text ({@code "PT1M30S"}), so the stored plan reads as what it means. */
    private static final ObjectMapper JSON = RotorJson.mapper().copy()
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);

    /**
     * Parsed plans by their exact JSON: a plan never changes once stored ({@code frozen_plan} is not updatable), and
     * every step, reply and timer of a rotation reads it again, so a rotation's plan is parsed about once instead of
     * at every transition. Keyed by the text itself, so a row whose JSON differs (edited by hand) is parsed anew.
     */
    private static final int CACHED = 2048;
    private static final Map<String, FrozenPlan> PARSED = new LinkedHashMap<>(CACHED * 4 / 3, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, FrozenPlan> eldest) {
            return size() > CACHED;
        }
    };

    private FrozenPlans() {
    }

    public static String write(FrozenPlan frozen) {
        ObjectNode node = JSON.createObjectNode().put("format", FORMAT);
        node.setAll((ObjectNode) JSON.valueToTree(frozen));
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the frozen plan: " + e.getOriginalMessage());
        }
    }

    /** @throws IllegalStateException naming the rotation when the stored plan is unreadable */
    public static FrozenPlan read(UUID rotationId, String json) {
        synchronized (PARSED) {
            FrozenPlan known = PARSED.get(json);
            if (known != null) {
                return known;
            }
        }
        FrozenPlan parsed = parse(rotationId, json);
        synchronized (PARSED) {
            PARSED.put(json, parsed);
        }
        return parsed;
    }

    private static FrozenPlan parse(UUID rotationId, String json) {
        try {
            JsonNode node = JSON.readTree(json);
            int format = node.path("format").asInt(-1);
            if (format != FORMAT) {
                throw new IllegalStateException("rotation " + rotationId + ": its frozen plan has format " + format
                        + ", which this release cannot read (it reads " + FORMAT + ")");
            }
            ((ObjectNode) node).remove("format");
            return JSON.treeToValue(node, FrozenPlan.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalStateException("rotation " + rotationId + ": its frozen plan is unreadable ("
                    + e.getClass().getSimpleName() + ")");
        }
    }
}

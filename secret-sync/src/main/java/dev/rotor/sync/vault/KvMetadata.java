package dev.rotor.sync.vault;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code GET <mount>/metadata/<path>} tells: the newest version number, the {@code custom_metadata} and, per
 * version, whether it is soft-deleted or destroyed.
 */
public record KvMetadata(long currentVersion, Map<String, String> custom, Map<Integer, State> versions) {

    /** One version's state as Vault keeps it. */
    public record State(boolean deleted, boolean destroyed) {
    }

    public static KvMetadata empty() {
        return new KvMetadata(0, new LinkedHashMap<>(), new TreeMap<>());
    }

    static KvMetadata parse(JsonNode data) {
        Map<String, String> custom = new LinkedHashMap<>();
        data.path("custom_metadata").fields().forEachRemaining(e -> custom.put(e.getKey(), e.getValue().asText()));
        Map<Integer, State> versions = new TreeMap<>();
        data.path("versions").fields().forEachRemaining(e -> {
            String deletion = e.getValue().path("deletion_time").asText("");
            versions.put(Integer.parseInt(e.getKey()), new State(!deletion.isEmpty(),
                    e.getValue().path("destroyed").asBoolean(false)));
        });
        return new KvMetadata(data.path("current_version").asLong(0), custom, versions);
    }

    public boolean destroyed(int version) {
        State s = versions.get(version);
        return s != null && s.destroyed();
    }
}

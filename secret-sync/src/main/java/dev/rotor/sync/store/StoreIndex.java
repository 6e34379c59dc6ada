package dev.rotor.sync.store;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The metadata of the local store, kept as JSON inside the keystore itself. It holds no material. */
@JsonIgnoreProperties(ignoreUnknown = true)
class StoreIndex {
    public Map<String, History> secrets = new LinkedHashMap<>();

    @JsonIgnoreProperties(ignoreUnknown = true)
    static class History {
        public List<Meta> versions = new ArrayList<>();
        /** rotation id -> snapshot key -> whether the line existed (its value is a keystore entry). */
        public Map<UUID, Map<String, Boolean>> snapshots = new LinkedHashMap<>();
        /** Small per-secret facts that are not material, e.g. the active role of alternating users. */
        public Map<String, String> attributes = new LinkedHashMap<>();

        /** A deep copy, so an edit can be thrown away without touching the shared index. */
        History copy() {
            History h = new History();
            versions.forEach(m -> h.versions.add(m.copy()));
            snapshots.forEach((rotation, keys) -> h.snapshots.put(rotation, new LinkedHashMap<>(keys)));
            h.attributes.putAll(attributes);
            return h;
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    static class Meta {
        public int version;
        public Label label;
        public Instant createdAt;
        public Instant promotedAt;
        public Instant retiredAt;
        public UUID createdBy;
        public Integer basedOn;
        public boolean adopted;
        public UUID promotedBy;
        public boolean destroyed;

        Meta copy() {
            Meta m = new Meta();
            m.version = version;
            m.label = label;
            m.createdAt = createdAt;
            m.promotedAt = promotedAt;
            m.retiredAt = retiredAt;
            m.createdBy = createdBy;
            m.basedOn = basedOn;
            m.adopted = adopted;
            m.promotedBy = promotedBy;
            m.destroyed = destroyed;
            return m;
        }

        SecretVersion view() {
            return new SecretVersion(version, label, createdAt, promotedAt, retiredAt, createdBy, basedOn, adopted,
                    promotedBy, destroyed, null);
        }
    }
}

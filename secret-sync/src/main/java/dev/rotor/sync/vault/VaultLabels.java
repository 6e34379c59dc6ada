package dev.rotor.sync.vault;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotor.contracts.json.RotorJson;
import dev.rotor.sync.store.Label;
import dev.rotor.sync.store.SecretVersion;
import dev.rotor.sync.store.StoreException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Rotor's bookkeeping inside a secret's {@code custom_metadata} (string keys and values, at most 64 keys of 512
 * bytes): {@code rotor.v<N>} holds one version's record as compact JSON, {@code rotor.pending|current|previous}
 * the labelled version numbers (for people and policies reading Vault), {@code rotor.attr.<key>} per-secret facts.
 * Keys Rotor does not own are kept as they are. Never material.
 */
final class VaultLabels {
    static final String PREFIX = "rotor.";
    private static final String VERSION = PREFIX + "v";
    private static final String ATTR = PREFIX + "attr.";
    /** Retired versions beyond this many are forgotten, so the 64-key limit holds. */
    private static final int KEEP_RETIRED = 40;
    private static final ObjectMapper JSON = RotorJson.mapper().copy()
            .setSerializationInclusion(JsonInclude.Include.NON_DEFAULT);

    final Map<Integer, Record> versions = new TreeMap<>();
    final Map<String, String> attributes = new LinkedHashMap<>();
    private final Map<String, String> foreign = new LinkedHashMap<>();

    /** One version's record. {@code heldFor}: soft-deleted, not destroyed, while that rotation may still undo. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class Record {
        public Label label;
        public Instant created;
        public Instant promoted;
        public Instant retired;
        public UUID createdBy;
        public Integer basedOn;
        public boolean adopted;
        public UUID promotedBy;
        public boolean destroyed;
        public Instant archiveUntil;
        public UUID heldFor;

        SecretVersion view(int version) {
            return new SecretVersion(version, label, created, promoted, retired, createdBy, basedOn, adopted,
                    promotedBy, destroyed, archiveUntil);
        }
    }

    static VaultLabels parse(Map<String, String> custom, String where) {
        VaultLabels l = new VaultLabels();
        custom.forEach((k, v) -> {
            if (k.startsWith(VERSION) && k.substring(VERSION.length()).chars().allMatch(Character::isDigit)
                    && k.length() > VERSION.length()) {
                try {
                    l.versions.put(Integer.parseInt(k.substring(VERSION.length())), JSON.readValue(v, Record.class));
                } catch (IOException e) {
                    throw new StoreException("custom_metadata key " + k + " of " + where + " is not a Rotor record",
                            false, e);
                }
            } else if (k.startsWith(ATTR)) {
                l.attributes.put(k.substring(ATTR.length()), v);
            } else if (!k.startsWith(PREFIX)) {
                l.foreign.put(k, v);
            }
        });
        return l;
    }

    List<SecretVersion> views() {
        List<SecretVersion> out = new ArrayList<>();
        versions.forEach((n, r) -> out.add(r.view(n)));
        return out;
    }

    Map<String, String> render() {
        pruneRetired();
        Map<String, String> out = new LinkedHashMap<>(foreign);
        for (Label label : List.of(Label.PENDING, Label.CURRENT, Label.PREVIOUS)) {
            versions.entrySet().stream().filter(e -> e.getValue().label == label)
                    .reduce((a, b) -> b).ifPresent(e -> out.put(PREFIX + label.wireName(), e.getKey().toString()));
        }
        attributes.forEach((k, v) -> out.put(ATTR + k, v));
        versions.forEach((n, r) -> {
            try {
                out.put(VERSION + n, JSON.writeValueAsString(r));
            } catch (IOException e) {
                throw new StoreException("cannot encode the record of version " + n, false, e);
            }
        });
        return out;
    }

    private void pruneRetired() {
        List<Integer> retired = versions.entrySet().stream()
                .filter(e -> e.getValue().label == Label.RETIRED && e.getValue().destroyed
                        && e.getValue().heldFor == null)
                .map(Map.Entry::getKey).toList();
        retired.stream().limit(Math.max(0, retired.size() - KEEP_RETIRED)).forEach(versions::remove);
    }
}

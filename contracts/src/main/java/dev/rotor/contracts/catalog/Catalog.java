package dev.rotor.contracts.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Optional;

/** The secret catalog: what Rotor rotates, how, and whom it tells. Build one with {@link CatalogLoader}. */
public record Catalog(List<SecretEntry> secrets, @JsonProperty("notify") NotifyConfig notifications,
        List<FreezeSpec> freezes, List<IncidentRule> incidents) {
    public Catalog {
        incidents = incidents == null ? List.of() : List.copyOf(incidents);
        secrets = secrets == null ? List.of() : List.copyOf(secrets);
        freezes = freezes == null ? List.of() : List.copyOf(freezes);
        notifications = notifications == null ? new NotifyConfig(null) : notifications;
    }

    public Optional<SecretEntry> find(String id) {
        return secrets.stream().filter(s -> s.id().equals(id)).findFirst();
    }
}

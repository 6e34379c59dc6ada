package dev.rotor.contracts.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The named notification channels that entries refer to in {@code notify}, and the webhook channels that receive the
 * orchestrator's {@code audit-checkpoint}s ({@code audit-checkpoints}: channel names), so an archive outside Rotor
 * holds anchors of the audit chain.
 */
public record NotifyConfig(Map<String, ChannelSpec> channels,
        @JsonProperty("audit-checkpoints") List<String> auditCheckpoints) {
    public NotifyConfig {
        channels = channels == null ? Map.of() : Map.copyOf(channels);
        auditCheckpoints = auditCheckpoints == null ? List.of()
                : Collections.unmodifiableList(new ArrayList<>(auditCheckpoints));
    }

    /** Channels only, no checkpoint receiver. */
    public NotifyConfig(Map<String, ChannelSpec> channels) {
        this(channels, null);
    }
}

package dev.rotor.contracts.catalog;

import java.util.Map;

/** The named notification channels that entries refer to in {@code notify}. */
public record NotifyConfig(Map<String, ChannelSpec> channels) {
    public NotifyConfig {
        channels = channels == null ? Map.of() : Map.copyOf(channels);
    }
}

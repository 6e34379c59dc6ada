package dev.rotor.contracts.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A notification channel. Secrets of channels (webhook URLs, routing keys) are never in the catalog: it names the
 * environment variable that holds them.
 *
 * @param type {@code log}, {@code webhook}, {@code slack}, {@code teams}, {@code pagerduty} or {@code email}
 */
public record ChannelSpec(String type, String url, @JsonProperty("url-env") String urlEnv,
        @JsonProperty("webhook-url-env") String webhookUrlEnv, @JsonProperty("routing-key-env") String routingKeyEnv,
        String to) {
    /** A literal webhook url is itself a secret (Slack, signed hooks): never shown, not even redacted. */
    @Override
    public String toString() {
        return "ChannelSpec[type=" + type + (url == null ? "" : ", url=(set)") + ", urlEnv=" + urlEnv
                + ", webhookUrlEnv=" + webhookUrlEnv + ", routingKeyEnv=" + routingKeyEnv + ", to=" + to + "]";
    }
}

package dev.rotor.contracts.catalog;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A notification channel. Secrets of channels (webhook URLs, routing keys, bot tokens, SMTP passwords) are never in
 * the catalog: it names the environment variable that holds them, and a field that would hold one literally
 * ({@code routing-key}, {@code token}, …) is refused by the loader.
 *
 * @param type {@code log}, {@code webhook}, {@code slack}, {@code teams}, {@code pagerduty} or {@code email}
 * @param url a webhook's literal URL (webhook only; for URLs that are not secrets)
 * @param urlEnv the variable holding a webhook's URL
 * @param webhookUrlEnv the variable holding a Slack incoming-webhook or a Teams Workflows / incoming-webhook URL
 * @param routingKeyEnv the variable holding a PagerDuty Events API v2 routing (integration) key
 * @param tokenEnv the variable holding a Slack bot token ({@code xoxb-…}); with it, Slack runs in bot mode
 * @param channel the Slack conversation a bot posts to (an id such as {@code C0123456789}); bot mode only
 * @param to e-mail recipients (email only); a single address is accepted as a one-element list
 */
public record ChannelSpec(String type, String url, @JsonProperty("url-env") String urlEnv,
        @JsonProperty("webhook-url-env") String webhookUrlEnv, @JsonProperty("routing-key-env") String routingKeyEnv,
        @JsonProperty("token-env") String tokenEnv, String channel,
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> to) {

    public ChannelSpec {
        to = to == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(to));
    }

    /** A literal webhook url is itself a secret (Slack, signed hooks): never shown, not even redacted. */
    @Override
    public String toString() {
        return "ChannelSpec[type=" + type + (url == null ? "" : ", url=(set)") + ", urlEnv=" + urlEnv
                + ", webhookUrlEnv=" + webhookUrlEnv + ", routingKeyEnv=" + routingKeyEnv + ", tokenEnv=" + tokenEnv
                + ", channel=" + channel + ", to=" + to + "]";
    }
}

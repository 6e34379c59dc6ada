package dev.rotor.orchestrator.chat;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Chat-ops from Slack (prefix {@code rotor.slack}). Secrets come from the environment, never the catalog. */
@ConfigMapping(prefix = "rotor.slack")
public interface SlackConfig {
    /**
     * The Slack app's signing secret ({@code ROTOR_SLACK_SIGNING_SECRET}). Unset: chat-ops is off, and every request
     * to {@code /slack/*} gets 401.
     */
    Optional<String> signingSecret();

    /**
     * Slack users and their Rotor roles ({@code ROTOR_SLACK_USERS}), e.g. {@code U0123ABCD=responder,
     * U0456EFGH=approver+responder}. A user not listed may only ask for help.
     */
    Optional<List<String>> users();

    /** How far a request's {@code X-Slack-Request-Timestamp} may be from now, either way (Slack's rule: 5 minutes). */
    @WithDefault("5m")
    Duration maxAge();

    /**
     * The prefixes a {@code response_url} must start with before Rotor posts an answer to it, so that a request
     * cannot make the orchestrator call anywhere else.
     */
    @WithDefault("https://hooks.slack.com/")
    List<String> responseUrlPrefixes();
}

package dev.rotor.orchestrator.chat;

import dev.rotor.orchestrator.audit.Actor;
import dev.rotor.orchestrator.audit.AuditSource;
import java.util.List;
import java.util.Set;

/**
 * The person behind a verified Slack request: their Slack user id, the Rotor roles {@code rotor.slack.users} gives
 * them (empty when unmapped), and the HTTP peer. They act as {@code slack:<user id>}.
 */
public record SlackCaller(String userId, Set<String> roles, String clientAddress) {
    public static final String SUBJECT_PREFIX = "slack:";

    public String subject() {
        return SUBJECT_PREFIX + userId;
    }

    /** As the audit log records them: subject {@code slack:<user id>}, source {@code chat}. */
    public Actor actor() {
        return new Actor(subject(), List.copyOf(roles), AuditSource.CHAT, clientAddress);
    }

    public boolean holdsAny(List<String> needed) {
        return needed.isEmpty() || needed.stream().anyMatch(roles::contains);
    }
}

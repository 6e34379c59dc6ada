package dev.rotor.orchestrator.audit;

import static java.util.Objects.requireNonNull;

import dev.rotor.auth.Caller;
import dev.rotor.contracts.messages.RotationRequestSubmitted;
import io.quarkus.security.identity.SecurityIdentity;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Who did something, as the audit log records it: the subject, the Rotor roles they held, where the request came
 * from, and the HTTP peer's address when there was one.
 */
public record Actor(String subject, List<String> roles, AuditSource source, String clientAddress) {
    /** The subject of what the saga engine does on its own. */
    public static final Actor ENGINE = new Actor("orchestrator", List.of(), AuditSource.ENGINE, null);
    /** The requester of scheduled rotations. */
    public static final String SCHEDULE_SUBJECT = "schedule";
    private static final Set<String> CHAT = Set.of("slack", "teams", "chat", "chat-ops", "mattermost");
    private static final Set<String> INCIDENT = Set.of("pagerduty", "opsgenie", "incident", "github");

    public Actor {
        requireNonNull(subject, "subject");
        requireNonNull(source, "source");
        roles = roles == null ? List.of() : roles.stream().sorted().toList();
    }

    /** A caller of the REST API: the token's subject and roles; the CLI's tokens name {@code cli:<user>}. */
    public static Actor rest(SecurityIdentity identity, String clientAddress) {
        String subject = Caller.subject(identity);
        return new Actor(subject, List.copyOf(identity.getRoles()),
                subject.startsWith("cli:") ? AuditSource.CLI : AuditSource.REST, clientAddress);
    }

    /** The scheduler. */
    public static Actor schedule() {
        return new Actor(SCHEDULE_SUBJECT, List.of(), AuditSource.SCHEDULE, null);
    }

    /** A bridge's request on Kafka: the user the bridge vouches for, and its kind from the request's source. */
    public static Actor bridge(RotationRequestSubmitted request, String requester) {
        String source = request.source() == null ? "" : request.source().toLowerCase(Locale.ROOT);
        AuditSource kind = CHAT.contains(source) ? AuditSource.CHAT
                : INCIDENT.contains(source) ? AuditSource.INCIDENT : AuditSource.KAFKA;
        return new Actor(requester, List.of(), kind, null);
    }
}

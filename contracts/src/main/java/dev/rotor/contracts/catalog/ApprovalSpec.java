package dev.rotor.contracts.catalog;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Who must approve a rotation of the entry before any step runs: {@code required} distinct people (never the
 * requester), each holding one of {@code roles}, within {@code expires}. {@code emergency: skip} lets an EMERGENCY run
 * at once (break-glass, flagged in the audit log and the notifications); {@code required} holds emergencies too.
 *
 * <p>Defaults: 1 approval, role {@code approver}, 24h, emergencies skip.
 */
public record ApprovalSpec(Integer required, List<String> roles, String expires, String emergency) {
    /** The roles an approver may hold; viewer and operator are not enough to approve. */
    public static final Set<String> APPROVING_ROLES = Set.of("approver", "responder");
    public static final String SKIP = "skip";
    public static final String REQUIRED = "required";

    public ApprovalSpec {
        roles = roles == null || roles.isEmpty() ? List.of("approver") : List.copyOf(roles);
    }

    public int requiredCount() {
        return required == null ? 1 : required;
    }

    public Duration expiresAfter() {
        return expires == null ? Duration.ofHours(24) : Durations.parse(expires);
    }

    /** Whether an EMERGENCY runs without approval (break-glass). */
    public boolean emergencySkips() {
        return emergency == null || SKIP.equals(emergency);
    }
}

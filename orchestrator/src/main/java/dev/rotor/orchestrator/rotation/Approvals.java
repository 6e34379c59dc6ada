package dev.rotor.orchestrator.rotation;

import dev.rotor.contracts.catalog.ApprovalSpec;
import dev.rotor.orchestrator.audit.Actor;
import dev.rotor.orchestrator.audit.AuditKinds;
import dev.rotor.orchestrator.audit.AuditLog;
import dev.rotor.orchestrator.audit.AuditRecord;
import dev.rotor.orchestrator.persistence.SagaStore;
import dev.rotor.orchestrator.saga.Effect;
import dev.rotor.orchestrator.saga.RotationState;
import dev.rotor.orchestrator.saga.Saga;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Approvals and denials of rotations that wait in AWAITING_APPROVAL. Each decision is a row of
 * {@code rotation_approval}, keyed by (rotation, subject): one decision per person, so approvals count distinct people,
 * and a repeated request changes nothing (409). The requester may not decide on their own rotation. The rotation
 * starts in the transaction that records the approval reaching {@code approval.required}; one denial ends it DENIED.
 * Each decision is audited in its transaction; a refusal (403) is audited on its own.
 * The rule (count, roles, expiry) is the one frozen with the rotation, not today's catalog.
 */
@ApplicationScoped
public class Approvals {
    private static final Logger LOG = Logger.getLogger(Approvals.class);

    @Inject
    SagaStore store;
    @Inject
    SagaEngineProvider engines;
    @Inject
    SagaDriver driver;
    @Inject
    AfterCommit afterCommit;
    @Inject
    AuditLog audit;

    /** Approve or deny. */
    public enum Decision {
        APPROVED, DENIED
    }

    /** Where the rotation stands after the decision, and how many approvals it has of how many it needs. */
    public record Outcome(UUID id, RotationState state, int approvals, int required) {
    }

    /** Why a decision was refused; the resource turns it into 404, 403 or 409. */
    public static final class Refused extends RuntimeException {
        /** The kind of refusal. */
        public enum Kind {
            NOT_FOUND, FORBIDDEN, CONFLICT
        }

        private final Kind kind;

        Refused(Kind kind, String message) {
            super(message);
            this.kind = kind;
        }

        public Kind kind() {
            return kind;
        }
    }

    /**
     * Records {@code subject}'s decision on a rotation awaiting approval, in one transaction with its consequence.
     *
     * @param roles the caller's Rotor roles; one of them must be among the rotation's approving roles
     * @throws Refused for an unknown rotation, one not awaiting approval, the requester, a caller without an
     *     approving role, or a second decision by the same person
     */
    public Uni<Outcome> decide(UUID rotationId, Actor actor, Decision decision, String reason) {
        String subject = actor.subject();
        Set<String> roles = Set.copyOf(actor.roles());
        return Transactions.inTransaction(() -> store.load(rotationId).chain(loaded -> {
            if (loaded == null) {
                return Uni.createFrom().failure(new Refused(Refused.Kind.NOT_FOUND,
                        "no rotation with id " + rotationId));
            }
            Saga s = loaded.saga();
            if (s.state != RotationState.AWAITING_APPROVAL || s.approval == null) {
                return Uni.createFrom().failure(new Refused(Refused.Kind.CONFLICT, "rotation " + rotationId
                        + " is " + s.state + ", not awaiting approval"));
            }
            ApprovalSpec rule = s.approval;
            if (Objects.equals(subject, s.requestedBy)) {
                return Uni.createFrom().failure(new Refused(Refused.Kind.FORBIDDEN, "the requester (" + subject
                        + ") cannot approve or deny their own rotation"));
            }
            List<String> holding = rule.roles().stream().filter(roles::contains).toList();
            if (holding.isEmpty()) {
                return Uni.createFrom().failure(new Refused(Refused.Kind.FORBIDDEN, "deciding on rotation "
                        + rotationId + " needs role " + String.join(" or ", rule.roles())));
            }
            Instant now = Instant.now();
            return record(rotationId, subject, holding, decision, reason, now).chain(fresh -> {
                if (!fresh) {
                    return Uni.createFrom().<Outcome>failure(new Refused(Refused.Kind.CONFLICT, subject
                            + " has already decided on rotation " + rotationId));
                }
                return approvers(rotationId).chain(approvers -> {
                    List<Effect> effects;
                    if (decision == Decision.DENIED) {
                        LOG.infof("rotation %s of %s: denied by %s", rotationId, s.secretId(), subject);
                        effects = engines.engine().denied(s, subject, reason, now);
                    } else if (approvers.size() >= rule.requiredCount()) {
                        LOG.infof("rotation %s of %s: approved by %s; starting", rotationId, s.secretId(),
                                String.join(", ", approvers));
                        effects = engines.engine().approved(s, approvers, now);
                    } else {
                        effects = List.of();
                    }
                    Uni<Integer> retire = s.state == RotationState.RUNNING
                            ? RotationService.retireEarlierNow(s.secretId(), now) : Uni.createFrom().item(0);
                    AuditRecord asked = new AuditRecord(now, decision == Decision.APPROVED ? AuditKinds.APPROVAL_GIVEN
                            : AuditKinds.APPROVAL_DENIED, actor, reason, s.secretId(), rotationId, Map.of(
                                    "approvals", approvers.size(), "required", rule.requiredCount()));
                    return retire.chain(() -> driver.save(loaded, effects, now, List.of(asked)))
                            .replaceWith(new Outcome(rotationId, s.state, approvers.size(), rule.requiredCount()));
                });
            });
        })).invoke(afterCommit::run)
                .onFailure(Refused.class).call(f -> ((Refused) f).kind() != Refused.Kind.FORBIDDEN
                        ? Uni.createFrom().voidItem()
                        : audit.appendAlone(List.of(new AuditRecord(Instant.now(), AuditKinds.REQUEST_REFUSED, actor,
                                f.getMessage(), null, rotationId, Map.of("call", decision == Decision.APPROVED
                                        ? "approve" : "deny")))));
    }

    /** The subjects that approved the rotation, in the order they did. */
    static Uni<List<String>> approvers(UUID rotationId) {
        return Panache.getSession().chain(session -> session.createNativeQuery("select subject from rotation_approval"
                + " where rotation_id = ?1 and decision = ?2 order by decided_at, subject", String.class)
                .setParameter(1, rotationId)
                .setParameter(2, Decision.APPROVED.name())
                .getResultList());
    }

    private static Uni<Boolean> record(UUID rotationId, String subject, List<String> roles, Decision decision,
            String reason, Instant now) {
        return Panache.getSession().chain(session -> session.createNativeQuery("insert into rotation_approval"
                + " (rotation_id, subject, decision, roles, reason, decided_at) values (?1, ?2, ?3, ?4, ?5, ?6)"
                + " on conflict do nothing")
                .setParameter(1, rotationId)
                .setParameter(2, subject)
                .setParameter(3, decision.name())
                .setParameter(4, String.join(",", roles))
                .setParameter(5, reason)
                .setParameter(6, now)
                .executeUpdate())
                .map(rows -> rows == 1);
    }
}

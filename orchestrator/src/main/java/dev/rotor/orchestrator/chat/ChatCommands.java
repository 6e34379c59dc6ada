package dev.rotor.orchestrator.chat;

import static dev.rotor.orchestrator.chat.Replies.escape;
import static dev.rotor.orchestrator.chat.Replies.mention;

import dev.rotor.contracts.messages.Trigger;
import dev.rotor.orchestrator.audit.AuditKinds;
import dev.rotor.orchestrator.audit.AuditLog;
import dev.rotor.orchestrator.audit.AuditRecord;
import dev.rotor.orchestrator.chat.ChatCommand.Kind;
import dev.rotor.orchestrator.chat.Replies.Reply;
import dev.rotor.orchestrator.persistence.RotationEntity;
import dev.rotor.orchestrator.rotation.Approvals;
import dev.rotor.orchestrator.rotation.RotationAsk;
import dev.rotor.orchestrator.rotation.RotationRefused;
import dev.rotor.orchestrator.rotation.RotationService;
import dev.rotor.orchestrator.rotation.SagaDriver;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Runs a {@code /rotor} command as the Slack user who sent it, through the same services as the REST API (so the
 * same rules hold: one active rotation per secret, freezes, approvals by someone other than the requester), and says
 * what happened in one reply. A user without a role the command needs gets an ephemeral refusal, audited as
 * {@code request-refused}, and nothing else happens.
 */
@ApplicationScoped
public class ChatCommands {
    private static final Logger LOG = Logger.getLogger(ChatCommands.class);

    @Inject
    RotationService rotations;
    @Inject
    Approvals approvals;
    @Inject
    SagaDriver driver;
    @Inject
    ChatStatus status;
    @Inject
    AuditLog audit;

    public Uni<Reply> run(SlackCaller caller, ChatCommand command) {
        if (!caller.holdsAny(command.kind().roles())) {
            return refuse(caller, command);
        }
        return switch (command.kind()) {
            case HELP -> Uni.createFrom().item(Reply.ephemeral("Rotor commands:\n" + ChatCommand.USAGE));
            case STATUS -> status.answer(command.argument());
            case ROTATE -> rotate(caller, command, Trigger.MANUAL);
            case EMERGENCY -> rotate(caller, command, Trigger.EMERGENCY);
            case APPROVE -> approve(caller, rotationId(command));
            case ABORT -> abort(caller, rotationId(command));
        };
    }

    private Uni<Reply> rotate(SlackCaller caller, ChatCommand command, Trigger trigger) {
        String secret = command.argument();
        return rotations.accept(new RotationAsk(secret, trigger, command.reason(), false, caller.actor()))
                .map(row -> Reply.inChannel(mention(caller.userId()) + " requested rotation `" + row.id + "` of `"
                        + escape(secret) + "` (" + trigger + "): " + row.state + next(row)))
                .onFailure(RotationRefused.class).recoverWithItem(f -> Reply.ephemeral("Cannot rotate `"
                        + escape(secret) + "`: " + escape(f.getMessage())));
    }

    private static String next(RotationEntity row) {
        return switch (row.state) {
            case "AWAITING_APPROVAL" -> ". It waits for approval: `/rotor approve " + row.id + "`";
            case "WAITING" -> ". It starts when the rotation it supersedes has rolled back.";
            default -> "";
        };
    }

    private Uni<Reply> approve(SlackCaller caller, UUID id) {
        return approvals.decide(id, caller.actor(), Approvals.Decision.APPROVED, null)
                .map(o -> Reply.inChannel(mention(caller.userId()) + " approved rotation `" + id + "`: "
                        + o.approvals() + " of " + o.required() + " approval(s); " + o.state()))
                .onFailure(Approvals.Refused.class).recoverWithItem(f -> Reply.ephemeral(
                        (((Approvals.Refused) f).kind() == Approvals.Refused.Kind.FORBIDDEN ? "Refused: " : "")
                                + escape(f.getMessage())));
    }

    private Uni<Reply> abort(SlackCaller caller, UUID id) {
        return driver.abort(id, caller.actor()).map(aborted -> {
            if (aborted == null) {
                return Reply.ephemeral("No rotation with id `" + id + "`.");
            }
            if (!aborted.before().active()) {
                return Reply.ephemeral("Rotation `" + id + "` already ended: " + aborted.before());
            }
            return Reply.inChannel(mention(caller.userId()) + " aborted rotation `" + id + "` (was "
                    + aborted.before() + "): " + aborted.after());
        });
    }

    private Uni<Reply> refuse(SlackCaller caller, ChatCommand command) {
        Kind kind = command.kind();
        String needed = String.join("' or '", kind.roles());
        LOG.infof("slack: /rotor %s by %s refused: needs role '%s'", kind.word(), caller.subject(), needed);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("call", "/rotor " + kind.word());
        detail.put("requiredRole", needed);
        UUID rotation = kind == Kind.APPROVE || kind == Kind.ABORT ? rotationIdOrNull(command.argument()) : null;
        String secret = kind == Kind.ROTATE || kind == Kind.EMERGENCY ? command.argument() : null;
        AuditRecord record = new AuditRecord(Instant.now(), AuditKinds.REQUEST_REFUSED, caller.actor(), null,
                secret, rotation, detail);
        String who = caller.roles().isEmpty() ? mention(caller.userId()) + " has no Rotor role (ask an admin to add"
                + " you to rotor.slack.users)" : mention(caller.userId()) + " holds " + String.join(", ",
                        caller.roles().stream().sorted().toList());
        Reply refusal = Reply.ephemeral("Refused: `/rotor " + kind.word() + "` needs the role '" + needed + "'; "
                + who + ". Nothing was done.");
        return audit.appendAlone(List.of(record)).replaceWith(refusal);
    }

    private static UUID rotationId(ChatCommand command) {
        UUID id = rotationIdOrNull(command.argument());
        if (id == null) {
            throw new ChatCommand.Unreadable("`" + escape(Replies.cut(command.argument(), 60))
                    + "` is not a rotation id (a UUID, as `/rotor status` shows).");
        }
        return id;
    }

    static UUID rotationIdOrNull(String text) {
        try {
            return text == null ? null : UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}

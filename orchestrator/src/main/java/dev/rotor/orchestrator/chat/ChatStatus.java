package dev.rotor.orchestrator.chat;

import static dev.rotor.orchestrator.chat.Replies.escape;

import dev.rotor.orchestrator.catalog.CatalogHolder;
import dev.rotor.orchestrator.chat.Replies.Reply;
import dev.rotor.orchestrator.persistence.RotationEntity;
import dev.rotor.orchestrator.persistence.RotationStepEntity;
import dev.rotor.orchestrator.rollout.RolloutStatus;
import dev.rotor.orchestrator.saga.RotationState;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * {@code /rotor status}: with no argument the active rotations (at most {@value #MAX_ACTIVE}), with a rotation id
 * that rotation and its steps, with a secret id that secret's latest rotation and its steps. One rotation comes with
 * its family, as {@code GET /api/rotations/{id}} shows it: the parent that started it (related-entry cascade), or
 * its children with their outcome. Read-only; the answer is ephemeral and holds ids, states, steps and errors, never
 * secret material.
 */
@ApplicationScoped
public class ChatStatus {
    static final int MAX_ACTIVE = 10;

    @Inject
    CatalogHolder catalog;

    public Uni<Reply> answer(String argument) {
        if (argument == null) {
            return active();
        }
        UUID id = ChatCommands.rotationIdOrNull(argument);
        return Panache.withSession(() -> (id != null ? RotationEntity.<RotationEntity>findById(id)
                : RotationEntity.<RotationEntity>find("secretId = ?1 order by requestedAt desc", argument)
                        .firstResult()).chain(row -> {
                            if (row == null) {
                                return Uni.createFrom().item(Reply.ephemeral(none(argument, id)));
                            }
                            return RotationStepEntity.<RotationStepEntity>list(
                                    "rotationId = ?1 order by startedAt, idx", row.id)
                                    .chain(steps -> family(row).map(family -> Reply.ephemeral(line(row)
                                            + steps(steps) + family)));
                        }));
    }

    /**
     * The rotation's relatives: {@code started by `id` `secret` *STATE* (related entry)} for a child, and a
     * {@code related: `secret` `id` *STATE*} line per child (with its error) for a parent.
     */
    private static Uni<String> family(RotationEntity row) {
        Uni<String> parent = row.parentId == null ? Uni.createFrom().item("")
                : RotationEntity.<RotationEntity>findById(row.parentId).map(p -> "\nstarted by "
                        + (p == null ? "`" + row.parentId + "`" : "`" + p.id + "` `" + escape(p.secretId) + "` *"
                                + p.state + "*") + " (related entry)");
        return parent.chain(up -> RotationEntity.<RotationEntity>list(
                "parentId = ?1 order by requestedAt, secretId", row.id)
                .map(children -> up + children.stream().map(c -> "\nrelated: `" + escape(c.secretId) + "` `" + c.id
                        + "` *" + c.state + "*" + (c.error == null ? "" : " (" + escape(Replies.cut(c.error, 200))
                                + ")")).collect(Collectors.joining())));
    }

    private String none(String argument, UUID id) {
        if (id != null) {
            return "No rotation with id `" + id + "`.";
        }
        return catalog.find(argument).isPresent() ? "`" + escape(argument) + "` has not been rotated yet."
                : "No secret `" + escape(Replies.cut(argument, 60)) + "` in the catalog.";
    }

    private static Uni<Reply> active() {
        List<String> states = Arrays.stream(RotationState.values()).filter(RotationState::active)
                .map(Enum::name).toList();
        return Panache.withSession(() -> RotationEntity.<RotationEntity>find(
                "state in ?1 order by requestedAt desc", states).page(0, MAX_ACTIVE + 1).list())
                .map(rows -> {
                    if (rows.isEmpty()) {
                        return Reply.ephemeral("No active rotation.");
                    }
                    String lines = rows.stream().limit(MAX_ACTIVE).map(ChatStatus::line)
                            .collect(Collectors.joining("\n"));
                    return Reply.ephemeral("Active rotations:\n" + lines
                            + (rows.size() > MAX_ACTIVE ? "\n… and more: `GET /api/rotations`" : ""));
                });
    }

    /**
     * {@code `id` `secret` STATE (strategy, TRIGGER, requested by who at when)}, the wave of a rollout, and the error if
     * any.
     */
    static String line(RotationEntity r) {
        RolloutStatus rollout = RolloutStatus.of(r);
        return "`" + r.id + "` `" + escape(r.secretId) + "` *" + r.state + "* (" + r.strategy + ", " + r.trigger
                + ", requested by " + escape(String.valueOf(r.requestedBy)) + " at " + r.requestedAt + ")"
                + (rollout == null ? "" : "\nrollout: " + rollout.summary())
                + (r.error == null ? "" : "\nerror: " + escape(Replies.cut(r.error, 500)));
    }

    private static String steps(List<RotationStepEntity> steps) {
        if (steps.isEmpty()) {
            return "";
        }
        return "\nsteps: " + steps.stream().map(s -> s.step + " " + s.direction + " " + s.status
                + (s.attempts > 1 ? " (attempt " + s.attempts + ")" : "")).collect(Collectors.joining(", "));
    }
}

package dev.rotor.orchestrator.retention;

import dev.rotor.orchestrator.persistence.RotationEntity;
import dev.rotor.orchestrator.persistence.RotationStepEntity;
import dev.rotor.orchestrator.persistence.TimerEntity;
import dev.rotor.orchestrator.saga.RotationState;
import dev.rotor.orchestrator.saga.TimerKind;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Where a secret's versions stand, from the orchestrator's history: its rotations (dry runs excluded, they change
 * nothing), their steps, and the retirement timers still waiting for their grace. Must run inside a session.
 */
@ApplicationScoped
public class Retention {

    /**
     * @param retireAt when the version in grace ({@code previousVersion}) is due to be retired, if a timer waits; for a
     *     retirement gated on use, the earliest it may be (its next usage check)
     * @param retirementError why the last retirement failed for good, while its version is still not retired
     */
    public record Status(List<VersionHistory.Version> versions, Instant lastRotatedAt, Integer currentVersion,
            Integer previousVersion, Instant retireAt, List<Integer> retiredVersions, String retirementError) {
    }

    public Uni<Status> of(String secretId) {
        return RotationEntity.<RotationEntity>list("secretId = ?1 and dryRun = false order by requestedAt", secretId)
                .chain(rows -> steps(rows).chain(steps -> TimerEntity.<TimerEntity>list("secretId = ?1 and kind in ?2"
                        + " and firedAt is null order by dueAt", secretId,
                        List.of(TimerKind.RETIRE.name(), TimerKind.USAGE_CHECK.name()))
                        .map(timers -> status(rows, steps, timers))));
    }

    private static Uni<Map<UUID, List<RotationStepEntity>>> steps(List<RotationEntity> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        List<UUID> ids = rows.stream().map(r -> r.id).toList();
        return RotationStepEntity.<RotationStepEntity>list("rotationId in ?1", ids)
                .map(list -> list.stream().collect(Collectors.groupingBy(s -> s.rotationId)));
    }

    private static Status status(List<RotationEntity> rows, Map<UUID, List<RotationStepEntity>> steps,
            List<TimerEntity> timers) {
        List<VersionHistory.Version> versions = VersionHistory.of(rows.stream().map(r -> new VersionHistory.Rotation(
                r.strategy, r.fromVersion, r.toVersion, r.requestedAt, steps.getOrDefault(r.id, List.of()).stream()
                        .map(s -> new VersionHistory.StepRow(s.step, s.direction, s.status, s.finishedAt)).toList(),
                dev.rotor.contracts.messages.Trigger.ROLLBACK.name().equals(r.trigger)))
                .toList());
        Integer current = versions.stream().filter(v -> v.label().equals("current"))
                .max(Comparator.comparing(VersionHistory.Version::version)).map(VersionHistory.Version::version)
                .orElse(null);
        Integer previous = versions.stream().filter(v -> v.label().equals("previous"))
                .max(Comparator.comparing(VersionHistory.Version::version)).map(VersionHistory.Version::version)
                .orElse(null);
        Instant retireAt = previous == null ? null : timers.stream().filter(t -> previous.equals(t.version))
                .map(t -> t.dueAt).findFirst().orElse(null);
        Instant lastRotated = rows.stream().filter(r -> RotationState.COMPLETED.name().equals(r.state))
                .map(r -> r.completedAt).filter(java.util.Objects::nonNull).max(Comparator.naturalOrder())
                .orElse(null);
        String retirementError = previous == null ? null : rows.stream()
                .filter(r -> previous.equals(r.fromVersion) && r.retirementError != null)
                .map(r -> r.retirementError).reduce((a, b) -> b).orElse(null);
        List<Integer> retired = versions.stream().filter(v -> v.label().equals("retired"))
                .map(VersionHistory.Version::version).toList();
        return new Status(versions, lastRotated, current, previous, retireAt, retired, retirementError);
    }
}

package dev.rotor.contracts.messages;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/**
 * The command the orchestrator sends on {@link Topics#STEP_COMMANDS}. Workers act on the steps they own and ignore the
 * others. {@code (rotationId, step, attempt, direction)} identifies one request; a worker that sees it twice must not
 * repeat the effect.
 */
public record StepRequested(UUID rotationId, Step step, int attempt, Direction direction, StepSpec spec,
        Instant requestedAt) implements RotorMessage {
    public StepRequested {
        requireNonNull(rotationId, "rotationId");
        requireNonNull(step, "step");
        requireNonNull(direction, "direction");
        requireNonNull(spec, "spec");
        requireNonNull(requestedAt, "requestedAt");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be at least 1");
        }
    }

    @Override
    public String subject() {
        return rotationId.toString();
    }

    /** The reply to this command when it succeeded. */
    public StepSucceeded succeeded(Integer fromVersion, Integer toVersion, String detail) {
        return new StepSucceeded(rotationId, step, attempt, direction, fromVersion, toVersion, detail, Instant.now());
    }

    /** The reply to this compensation command when it is done, or when there was nothing to undo. */
    public StepCompensated compensated(String detail) {
        return new StepCompensated(rotationId, step, attempt, detail, Instant.now());
    }

    /** A progress report for this command. */
    public StepProgress progress(long done, long total, double rowsPerSecond, Long etaSeconds) {
        return new StepProgress(rotationId, step, attempt, direction, done, total, rowsPerSecond, etaSeconds,
                Instant.now());
    }

    /** The reply to this command when it failed; {@code error} must name the problem and hold no secret material. */
    public StepFailed failed(boolean retryable, String error) {
        return new StepFailed(rotationId, step, attempt, direction, retryable, error, Instant.now());
    }
}

package dev.rotor.sync.steps;

import dev.rotor.contracts.messages.Direction;
import dev.rotor.contracts.messages.Step;
import dev.rotor.contracts.messages.StepRequested;
import dev.rotor.contracts.messages.StepResult;
import dev.rotor.sync.generate.GeneratorException;
import dev.rotor.sync.store.SecretStore;
import dev.rotor.sync.store.SecretStores;
import dev.rotor.sync.store.StoreException;
import dev.rotor.sync.target.EnvFileTarget;
import dev.rotor.sync.target.TargetException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Routes a command to its handler and turns every failure into a {@code StepFailed} whose message names the problem
 * (file, version, field) but never a value. Blocking: call it on a worker thread.
 *
 * <p>De-duplication: each handler is idempotent for {@code (rotationId, step, direction)} (see their Javadoc), so
 * the attempt number plays no part and a redelivered command only repeats the same answer.
 */
@ApplicationScoped
public class StepDispatcher {
    private static final Logger LOG = Logger.getLogger(StepDispatcher.class);

    private final SecretStores stores;

    public StepDispatcher(SecretStores stores) {
        this.stores = stores;
    }

    /** The reply, or empty for a step another service owns. */
    public Optional<StepResult> handle(StepRequested cmd) {
        if (cmd.step().participant() != Step.Participant.SECRET_SYNC) {
            return Optional.empty();
        }
        boolean forward = cmd.direction() == Direction.FORWARD;
        try {
            if (cmd.step() == Step.APPLY_CREDENTIAL) {
                return Optional.of(forward ? cmd.failed(false, "step APPLY_CREDENTIAL is not supported yet")
                        : cmd.compensated("APPLY_CREDENTIAL is not supported yet, so nothing was applied"));
            }
            if (cmd.spec().store().path() == null || cmd.spec().store().path().isBlank()) {
                return Optional.of(forward ? cmd.failed(false, "secret " + cmd.spec().secretId() + " has no store.path")
                        : cmd.compensated("nothing to undo: secret " + cmd.spec().secretId() + " has no store.path"));
            }
            SecretStore store;
            List<EnvFileTarget> targets;
            try {
                store = stores.forRef(cmd.spec().store());
                targets = EnvFileTarget.of(cmd.spec().targets());
            } catch (StoreException | TargetException unsupported) {
                // Nothing can have happened with an unsupported store or target, so undoing is trivially done.
                return Optional.of(forward ? cmd.failed(false, unsupported.getMessage())
                        : cmd.compensated("nothing to undo: " + unsupported.getMessage()));
            }
            return Optional.of(switch (cmd.step()) {
                case STAGE_SECRET -> forward ? StageSecretHandler.forward(cmd, store, targets)
                        : StageSecretHandler.compensate(cmd, store);
                case UPDATE_SECRET -> forward ? UpdateSecretHandler.forward(cmd, store, targets)
                        : UpdateSecretHandler.compensate(cmd, store, targets);
                case RETIRE_PREVIOUS -> forward ? RetirePreviousHandler.forward(cmd, store, targets)
                        : RetirePreviousHandler.compensate(cmd);
                default -> cmd.failed(false, "step " + cmd.step() + " is not handled by secret-sync");
            });
        } catch (StepException e) {
            return Optional.of(failed(cmd, e.retryable(), e.getMessage()));
        } catch (StoreException e) {
            return Optional.of(failed(cmd, e.retryable(), e.getMessage()));
        } catch (TargetException e) {
            return Optional.of(failed(cmd, e.retryable(), e.getMessage()));
        } catch (GeneratorException e) {
            return Optional.of(failed(cmd, false, "secret " + cmd.spec().secretId() + ": " + e.getMessage()));
        } catch (RuntimeException e) {
            // Only the class: messages of foreign exceptions are not ours to vouch for.
            LOG.errorf("unexpected %s in %s %s of rotation %s", e.getClass().getName(), cmd.step(),
                    cmd.direction(), cmd.rotationId());
            return Optional.of(cmd.failed(true, "internal error in secret-sync: " + e.getClass().getSimpleName()));
        }
    }

    private static StepResult failed(StepRequested cmd, boolean retryable, String message) {
        LOG.warnf("%s %s of rotation %s failed: %s", cmd.step(), cmd.direction(), cmd.rotationId(), message);
        return cmd.failed(retryable, message);
    }
}

package dev.rotor.sync.steps;

import dev.rotor.contracts.messages.Direction;
import dev.rotor.contracts.messages.Step;
import dev.rotor.contracts.messages.StepRequested;
import dev.rotor.contracts.messages.StepResult;
import dev.rotor.sync.config.SyncConfig;
import dev.rotor.sync.credential.CredentialApplier;
import dev.rotor.sync.credential.CredentialException;
import dev.rotor.sync.credential.Datasource;
import dev.rotor.sync.generate.GeneratorException;
import dev.rotor.sync.store.SecretStore;
import dev.rotor.sync.store.SecretStores;
import dev.rotor.sync.store.StoreException;
import dev.rotor.sync.target.SecretTarget;
import dev.rotor.sync.target.TargetException;
import dev.rotor.sync.target.Targets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Routes a command to its handler and turns every failure into a {@code StepFailed} whose message names the problem
 * (file, path, version, role, field) but never a value. Blocking: call it on a worker thread.
 *
 * <p>De-duplication: each handler is idempotent for {@code (rotationId, step, direction)} (see their Javadoc), so
 * the attempt number plays no part and a redelivered command only repeats the same answer. A signed command replayed
 * inside the replay window is such a redelivery; outside it, or unsigned, it never reaches here ({@link CommandTrust}).
 *
 * <p>Replicas: every fact a handler de-duplicates on (which rotation created a version, the labels, the undo copies of
 * the targets' lines) is state in the store, never in this process's memory. On the {@code vault} store that state is
 * in Vault, so several replicas may share the consumer group: a command that a rebalance or a crash hands to another
 * replica finds there what the first one did, and each change of a secret runs under a lease in Vault, since two
 * replicas may change one secret at once ({@link dev.rotor.sync.vault.VaultKvStore}). The {@code local} keystore
 * lives on one replica's disk and its file lock refuses a second process, so it runs as one replica.
 */
@ApplicationScoped
public class StepDispatcher {
    private static final Logger LOG = Logger.getLogger(StepDispatcher.class);

    private final SecretStores stores;
    private final Function<String, Optional<Datasource>> datasources;
    private final CredentialApplier applier;

    @Inject
    public StepDispatcher(SecretStores stores, SyncConfig config) {
        this(stores, name -> Datasource.named(config.datasources(), name),
                new CredentialApplier(CredentialApplier.FRESH_LOGIN));
    }

    public StepDispatcher(SecretStores stores, Function<String, Optional<Datasource>> datasources,
            CredentialApplier applier) {
        this.stores = stores;
        this.datasources = datasources;
        this.applier = applier;
    }

    /** The reply, or empty for a step another service owns. */
    public Optional<StepResult> handle(StepRequested cmd) {
        if (cmd.step().participant() != Step.Participant.SECRET_SYNC) {
            return Optional.empty();
        }
        boolean forward = cmd.direction() == Direction.FORWARD;
        try {
            if (cmd.spec().store().path() == null || cmd.spec().store().path().isBlank()) {
                return Optional.of(refused(cmd, "secret " + cmd.spec().secretId() + " has no store.path"));
            }
            SecretStore store;
            List<SecretTarget> targets;
            Datasource ds = null;
            try {
                store = stores.forRef(cmd.spec().store());
                targets = Targets.of(cmd.spec().targets(), stores.vault());
                if (cmd.step() == Step.APPLY_CREDENTIAL) {
                    ds = datasource(cmd);
                }
            } catch (StoreException | TargetException | CredentialException unsupported) {
                // Nothing can have happened with an unusable store, target or datasource, so undoing is trivially done.
                return Optional.of(refused(cmd, unsupported.getMessage()));
            }
            return Optional.of(switch (cmd.step()) {
                case STAGE_SECRET -> forward ? StageSecretHandler.forward(cmd, store, targets)
                        : StageSecretHandler.compensate(cmd, store);
                case UPDATE_SECRET -> cmd.spec().undoOf() != null ? UpdateSecretHandler.undo(cmd, store, targets)
                        : forward ? UpdateSecretHandler.forward(cmd, store, targets)
                        : UpdateSecretHandler.compensate(cmd, store, targets);
                case APPLY_CREDENTIAL -> forward ? ApplyCredentialHandler.forward(cmd, store, ds, applier)
                        : ApplyCredentialHandler.compensate(cmd, store, ds, applier);
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
        } catch (CredentialException e) {
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

    private Datasource datasource(StepRequested cmd) {
        var c = cmd.spec().credential();
        String id = cmd.spec().secretId();
        if (c == null || c.datasource() == null) {
            throw new CredentialException("secret " + id + " has no credential.datasource", false);
        }
        boolean alternating = cmd.spec().strategy() == dev.rotor.contracts.catalog.Strategy.ALTERNATING_USERS;
        if (alternating ? c.roles() == null || c.roles().size() != 2 || c.roles().get(0).equals(c.roles().get(1))
                : c.role() == null) {
            throw new CredentialException("secret " + id + (alternating ? " needs credential.roles with two different roles"
                    : " has no credential.role"), false);
        }
        return datasources.apply(c.datasource()).orElseThrow(() -> new CredentialException("datasource '"
                + c.datasource() + "' of secret " + id + " is not configured: set rotor.sync.datasources."
                + c.datasource() + ".url|username|password", false));
    }

    private static StepResult refused(StepRequested cmd, String why) {
        return cmd.direction() == Direction.FORWARD ? failed(cmd, false, why)
                : cmd.compensated("nothing to undo: " + why);
    }

    private static StepResult failed(StepRequested cmd, boolean retryable, String message) {
        LOG.warnf("%s %s of rotation %s failed: %s", cmd.step(), cmd.direction(), cmd.rotationId(), message);
        return cmd.failed(retryable, message);
    }
}

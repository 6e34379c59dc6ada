package dev.rotor.reencrypt.command;

import dev.rotor.contracts.messages.Direction;
import dev.rotor.contracts.messages.StepRequested;
import dev.rotor.reencrypt.engine.ReencryptException;
import dev.rotor.reencrypt.engine.Shadow;
import dev.rotor.reencrypt.jobs.WorkerBeans;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * When a rotation's previous version retires (RETIRE_PREVIOUS, forward: at the end of the grace, forced, or because a
 * newer rotation started), its re-encryption can no longer be rolled back, so its shadow tables are dropped from the
 * target database. secret-sync performs and answers the step; this answers nothing. Idempotent: dropping a shadow
 * that is gone finds nothing. A failure is logged and the command acknowledged: the shadow then stays (it holds only
 * ciphertexts under the retired key) until someone drops {@code rotor.shadow_<rotation>_*}.
 */
@ApplicationScoped
public class ShadowRetirement {
    private static final Logger LOG = Logger.getLogger(ShadowRetirement.class);

    @Inject
    WorkerBeans beans;

    CompletionStage<Void> onRetire(StepRequested command) {
        var re = command.spec().reencrypt();
        if (command.direction() != Direction.FORWARD || re == null || command.spec().dryRun()) {
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.runAsync(() -> {
            try {
                int dropped = Shadow.drop(beans.datasource(re.datasource()), Shadow.tag(command.rotationId()));
                if (dropped > 0) {
                    LOG.infof("rotation %s: previous version retiring, %d shadow table(s) dropped",
                            command.rotationId(), dropped);
                }
            } catch (ReencryptException | IllegalArgumentException e) {
                LOG.warnf("rotation %s: the shadow was not dropped: %s", command.rotationId(), e.getMessage());
            }
        }, Infrastructure.getDefaultWorkerPool());
    }
}

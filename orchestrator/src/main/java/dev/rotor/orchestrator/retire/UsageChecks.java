package dev.rotor.orchestrator.retire;

import dev.rotor.orchestrator.config.OrchestratorConfig;
import dev.rotor.orchestrator.persistence.SagaStore;
import dev.rotor.orchestrator.rotation.SagaDriver;
import dev.rotor.orchestrator.saga.RetireGate;
import dev.rotor.orchestrator.saga.Saga;
import dev.rotor.orchestrator.saga.SagaEngine;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Fires a USAGE_CHECK timer: reads the rotation, probes the previous version's share of use outside any transaction
 * ({@link UsageProbe}, bounded by the probe timeout), then records the engine's decision and marks the timer fired in
 * one transaction ({@link SagaDriver#completeUsageCheck}). The probe is a read-only GET, so a crash before the record,
 * or two instances probing the same timer, only repeat it; the timer row, claimed when the decision is recorded, makes
 * the decision once.
 */
@ApplicationScoped
public class UsageChecks {
    private static final Logger LOG = Logger.getLogger(UsageChecks.class);

    @Inject
    SagaStore store;
    @Inject
    SagaDriver driver;
    @Inject
    OrchestratorConfig config;

    private UsageProbe probe;

    @PostConstruct
    void init() {
        probe = new UsageProbe(config.retireGate().prometheusUrl(), config.retireGate().probeTimeout());
    }

    /** Blocking: call it off the event loop. */
    public void check(UUID timerId, UUID rotationId) throws Throwable {
        SagaStore.Loaded loaded = VertxContextSupport.subscribeAndAwait(() ->
                Panache.withSession(() -> store.load(rotationId)));
        Saga saga = loaded == null ? null : loaded.saga();
        RetireGate.Sample sample = null;
        if (saga != null && saga.retireWhen != null && SagaEngine.retirementPending(saga)) {
            sample = probe.share(saga.retireWhen, saga.fromVersion);
            LOG.infof("rotation %s of %s: share of use of version %d: %s", saga.id, saga.secretId(),
                    saga.fromVersion, sample.probe());
        }
        RetireGate.Sample probed = sample;
        VertxContextSupport.subscribeAndAwait(() -> driver.completeUsageCheck(timerId, probed,
                config.retireGate().checkInterval()));
    }
}

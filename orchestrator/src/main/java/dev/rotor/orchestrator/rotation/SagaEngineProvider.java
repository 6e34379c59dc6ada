package dev.rotor.orchestrator.rotation;

import dev.rotor.orchestrator.config.OrchestratorConfig;
import dev.rotor.orchestrator.saga.EngineSettings;
import dev.rotor.orchestrator.saga.SagaEngine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The one {@link SagaEngine}: retry settings from {@link OrchestratorConfig} (unset ones stay null), random jitter. */
@ApplicationScoped
public class SagaEngineProvider {
    @Inject
    OrchestratorConfig config;

    private volatile SagaEngine engine;

    public SagaEngine engine() {
        if (engine == null) {
            engine = new SagaEngine(new EngineSettings(config.stepTimeout().orElse(null),
                    config.maxAttempts().orElse(null), config.backoff().orElse(null),
                    config.longStepTimeout().orElse(null), config.maxBackoff().orElse(null)));
        }
        return engine;
    }
}

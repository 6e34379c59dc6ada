package dev.rotor.orchestrator.rotation;

import dev.rotor.orchestrator.config.OrchestratorConfig;
import dev.rotor.orchestrator.saga.EngineSettings;
import dev.rotor.orchestrator.saga.SagaEngine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The one {@link SagaEngine}, configured from {@link OrchestratorConfig}. */
@ApplicationScoped
public class SagaEngineProvider {
    @Inject
    OrchestratorConfig config;

    private volatile SagaEngine engine;

    public SagaEngine engine() {
        if (engine == null) {
            engine = new SagaEngine(new EngineSettings(config.stepTimeout(), config.maxAttempts(), config.backoff(),
                    config.longStepTimeout()));
        }
        return engine;
    }
}

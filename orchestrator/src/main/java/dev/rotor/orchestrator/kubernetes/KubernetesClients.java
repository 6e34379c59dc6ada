package dev.rotor.orchestrator.kubernetes;

import dev.rotor.orchestrator.config.OrchestratorConfig;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The one fabric8 Kubernetes client of the orchestrator, built at the first {@code kubernetes} reload or drain, so a
 * catalog without any never looks for a cluster.
 */
@ApplicationScoped
public class KubernetesClients {
    @Inject
    OrchestratorConfig config;

    private KubernetesClient client;

    public synchronized KubernetesClient client() {
        if (client == null) {
            OrchestratorConfig.Kubernetes k = config.kubernetes();
            ConfigBuilder builder = new ConfigBuilder(Config.autoConfigure(null));
            k.apiServerUrl().ifPresent(builder::withMasterUrl);
            if (k.trustCerts()) {
                builder.withTrustCerts(true);
            }
            client = new KubernetesClientBuilder().withConfig(builder.build()).build();
        }
        return client;
    }

    @PreDestroy
    synchronized void close() {
        if (client != null) {
            client.close();
        }
    }
}

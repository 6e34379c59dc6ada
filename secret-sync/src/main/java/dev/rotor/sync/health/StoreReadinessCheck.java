package dev.rotor.sync.health;

import dev.rotor.sync.store.SecretStores;
import dev.rotor.sync.store.StoreException;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * Ready only when the local keystore opens with its password (Kafka readiness comes from the connector). Health is
 * open to probes without a token, so it says up or down and nothing else: the path and the cause go to the log.
 */
@Readiness
@ApplicationScoped
public class StoreReadinessCheck implements HealthCheck {
    private static final Logger LOG = Logger.getLogger(StoreReadinessCheck.class);
    private final SecretStores stores;

    public StoreReadinessCheck(SecretStores stores) {
        this.stores = stores;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            stores.local().check();
            return HealthCheckResponse.named("local-store").up().build();
        } catch (StoreException e) {
            LOG.warnf("not ready: the local store cannot be opened: %s", e.getMessage());
            return HealthCheckResponse.named("local-store").down().build();
        }
    }
}

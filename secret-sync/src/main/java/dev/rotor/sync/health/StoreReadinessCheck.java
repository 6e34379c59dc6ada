package dev.rotor.sync.health;

import dev.rotor.sync.store.SecretStores;
import dev.rotor.sync.store.StoreException;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only when the local keystore opens with its password (Kafka readiness comes from the connector). */
@Readiness
@ApplicationScoped
public class StoreReadinessCheck implements HealthCheck {
    private final SecretStores stores;

    public StoreReadinessCheck(SecretStores stores) {
        this.stores = stores;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            stores.local().check();
            return HealthCheckResponse.named("local-store").up()
                    .withData("keystore", stores.local().keystorePath().toString()).build();
        } catch (StoreException e) {
            return HealthCheckResponse.named("local-store").down().withData("error", e.getMessage()).build();
        }
    }
}

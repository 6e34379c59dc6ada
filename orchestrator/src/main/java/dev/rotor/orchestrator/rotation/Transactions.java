package dev.rotor.orchestrator.rotation;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.OptimisticLockException;
import java.time.Duration;
import java.util.function.Supplier;
import org.hibernate.StaleStateException;

/**
 * One transaction per unit of work, retried when another handler of the same rotation committed first (optimistic
 * version check), so concurrent replies and timers never overwrite each other.
 */
public final class Transactions {
    private Transactions() {
    }

    public static <T> Uni<T> inTransaction(Supplier<Uni<T>> work) {
        return Uni.createFrom().deferred(() -> Panache.withTransaction(work))
                .onFailure(Transactions::isConflict).retry()
                .withBackOff(Duration.ofMillis(20), Duration.ofMillis(500)).atMost(8);
    }

    static boolean isConflict(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof OptimisticLockException || c instanceof StaleStateException) {
                return true;
            }
        }
        return false;
    }

    /** True when the failure is the violation of the named unique index or constraint. */
    public static boolean violates(Throwable t, String constraint) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c.getMessage() != null && c.getMessage().contains(constraint)) {
                return true;
            }
        }
        return false;
    }
}

package dev.rotor.reencrypt.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotor.reencrypt.engine.Database;
import dev.rotor.reencrypt.engine.ReencryptException;
import dev.rotor.reencrypt.engine.RunControl;
import dev.rotor.reencrypt.engine.TestDb;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** On the embedded PostgreSQL: two sessions, as two worker replicas would hold them. */
class RotationLockTest {
    private final Database db = TestDb.database();

    @Test
    void aSecondJobOfTheSameRotationWaitsUntilTheFirstEndsAndAnotherRotationDoesNot() throws Exception {
        UUID rotation = UUID.randomUUID();
        RotationLock first = RotationLock.acquire(db, rotation, RunControl.NONE);
        CompletableFuture<RotationLock> second = CompletableFuture.supplyAsync(
                () -> RotationLock.acquire(db, rotation, RunControl.NONE));
        try (RotationLock other = RotationLock.acquire(db, UUID.randomUUID(), RunControl.NONE)) {
            assertThat(other).isNotNull();
        }
        assertThatThrownBy(() -> second.get(1500, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
        first.close();
        try (RotationLock taken = second.get(10, TimeUnit.SECONDS)) {
            assertThat(taken).isNotNull();
        }
        // Released with its session: a third one takes it at once.
        try (RotationLock third = CompletableFuture.supplyAsync(() -> RotationLock.acquire(db, rotation,
                RunControl.NONE)).get(5, TimeUnit.SECONDS)) {
            assertThat(third).isNotNull();
        }
    }

    @Test
    void aJobCancelledWhileItWaitsGivesUpWithARetryableErrorNamingTheRotation() throws Exception {
        UUID rotation = UUID.randomUUID();
        AtomicBoolean cancel = new AtomicBoolean();
        try (RotationLock held = RotationLock.acquire(db, rotation, RunControl.NONE)) {
            CompletableFuture<RotationLock> waiting = CompletableFuture.supplyAsync(() -> RotationLock.acquire(db,
                    rotation, new RunControl() {
                        @Override
                        public boolean cancelled() {
                            return cancel.get();
                        }
                    }));
            Thread.sleep(700);
            assertThat(waiting).isNotDone();
            cancel.set(true);
            assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(ReencryptException.class)
                    .cause().hasMessage("cancelled while another worker ran a REENCRYPT job of rotation " + rotation)
                    .matches(e -> ((ReencryptException) e).retryable());
        }
    }
}

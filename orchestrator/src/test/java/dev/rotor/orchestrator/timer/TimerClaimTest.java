package dev.rotor.orchestrator.timer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.local.KafkaResource;
import dev.rotor.local.PostgresResource;
import dev.rotor.local.auth.AuthResource;
import dev.rotor.orchestrator.rotation.SagaDriver;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two orchestrator instances firing the same durable timer, against the real PostgreSQL: the other instance is a JDBC
 * transaction holding the timer row, as {@link SagaDriver#fire} does while it fires. The timer belongs to an ended
 * rotation and is due in an hour, so this application's poller leaves it alone and firing it changes no state; the
 * rows are deleted afterwards.
 */
@QuarkusTest
@QuarkusTestResource(AuthResource.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "orchestrator"))
class TimerClaimTest {
    @Inject
    AgroalDataSource dataSource;
    @Inject
    SagaDriver driver;

    private final ExecutorService firers = Executors.newFixedThreadPool(2);
    private UUID rotation;
    private final List<UUID> timers = new ArrayList<>();

    @BeforeEach
    void endedRotation() throws SQLException {
        rotation = UUID.randomUUID();
        Instant then = Instant.now().minus(Duration.ofHours(1));
        update("insert into rotation (id, secret_id, strategy, trigger, state, requested_at, updated_at, completed_at)"
                + " values (?, 'orch-happy', 'dual-key', 'MANUAL', 'COMPLETED', ?, ?, ?)", rotation, ts(then),
                ts(then), ts(then));
    }

    @AfterEach
    void cleanUp() throws SQLException {
        firers.shutdownNow();
        for (UUID timer : timers) {
            update("delete from timer where id = ?", timer);
        }
        update("delete from rotation where id = ?", rotation);
    }

    @Test
    void aTimerAnotherInstanceIsFiringIsSkippedAtOnceThenFiredOnceAfterThatInstanceGaveUp() throws Exception {
        UUID timer = timer();
        try (Connection other = dataSource.getConnection()) {
            other.setAutoCommit(false);
            try (PreparedStatement ps = other.prepareStatement("select id from timer where id = ? for update")) {
                ps.setObject(1, timer);
                ps.executeQuery().close();
            }

            // Without the claim this call would wait for the other transaction (and act after it).
            fire(timer).get(10, TimeUnit.SECONDS);
            assertThat(firedAt(timer)).as("skipped: the other instance holds it").isNull();
            other.rollback(); // that instance died before it committed
        }

        fire(timer).get(10, TimeUnit.SECONDS);
        Instant fired = firedAt(timer);
        assertThat(fired).as("fired once it was free").isNotNull();

        fire(timer).get(10, TimeUnit.SECONDS);
        assertThat(firedAt(timer)).as("a fired timer is not fired again").isEqualTo(fired);
    }

    @Test
    void twoInstancesFiringTheSameTimersAtOnceFireEachOnceWithoutAConflict() throws Exception {
        for (int i = 0; i < 10; i++) {
            UUID timer = timer();
            CountDownLatch go = new CountDownLatch(1);
            Future<?> a = firers.submit(() -> {
                go.await();
                return fire(timer).get(10, TimeUnit.SECONDS);
            });
            Future<?> b = firers.submit(() -> {
                go.await();
                return fire(timer).get(10, TimeUnit.SECONDS);
            });
            go.countDown();
            a.get(20, TimeUnit.SECONDS); // neither fails on the rotation's optimistic version
            b.get(20, TimeUnit.SECONDS);
            assertThat(firedAt(timer)).isNotNull();
        }
    }

    /** Fires on a thread of its own, as the poller's firers do. */
    private Future<Void> fire(UUID timer) {
        ExecutorService one = Executors.newSingleThreadExecutor();
        try {
            return one.submit(() -> {
                try {
                    return VertxContextSupport.subscribeAndAwait(() -> driver.fire(timer));
                } catch (Throwable t) {
                    throw new IllegalStateException("fire " + timer + " failed", t);
                }
            });
        } finally {
            one.shutdown();
        }
    }

    private UUID timer() throws SQLException {
        UUID id = UUID.randomUUID();
        update("insert into timer (id, rotation_id, secret_id, kind, due_at, step, direction, attempt, created_at)"
                + " values (?, ?, 'orch-happy', 'STEP_TIMEOUT', ?, 'STAGE_SECRET', 'FORWARD', 1, ?)", id, rotation,
                ts(Instant.now().plus(Duration.ofHours(1))), ts(Instant.now()));
        timers.add(id);
        return id;
    }

    private Instant firedAt(UUID timer) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select fired_at from timer where id = ?")) {
            ps.setObject(1, timer);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                Timestamp at = rs.getTimestamp(1);
                return at == null ? null : at.toInstant();
            }
        }
    }

    private void update(String sql, Object... values) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                ps.setObject(i + 1, values[i]);
            }
            ps.executeUpdate();
        }
    }

    private static Timestamp ts(Instant at) {
        return Timestamp.from(at);
    }
}

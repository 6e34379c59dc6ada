package dev.rotor.orchestrator.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.contracts.messages.Trigger;
import dev.rotor.local.KafkaResource;
import dev.rotor.local.PostgresResource;
import dev.rotor.local.auth.AuthResource;
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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two orchestrator instances running the same cron fire time at once, against the real PostgreSQL: the
 * {@code schedule_run} row is the claim. The secret is not in the catalog, so the one run that claims the fire time
 * records it skipped and starts nothing (no rotation leaks into the other tests).
 */
@QuarkusTest
@QuarkusTestResource(AuthResource.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "orchestrator"))
class TwoSchedulersTest {
    private static final String SECRET = "two-schedulers-test";

    @Inject
    AgroalDataSource dataSource;
    @Inject
    ScheduledRuns runs;

    private final ExecutorService two = Executors.newFixedThreadPool(2);

    @AfterEach
    void cleanUp() throws SQLException {
        two.shutdownNow();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("delete from schedule_run where secret_id = ?")) {
            ps.setString(1, SECRET);
            ps.executeUpdate();
        }
    }

    @Test
    void aFireTimeRunByTwoInstancesAtOnceIsClaimedAndRecordedOnce() throws Exception {
        Instant first = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        for (int i = 0; i < 10; i++) {
            Instant fireTime = first.plusSeconds(i);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Void>> both = new ArrayList<>();
            for (int instance = 0; instance < 2; instance++) {
                both.add(two.submit(() -> {
                    go.await();
                    try {
                        return VertxContextSupport.subscribeAndAwait(() -> runs.run(SECRET, fireTime,
                                Trigger.SCHEDULED));
                    } catch (Throwable t) {
                        throw new IllegalStateException("run failed", t);
                    }
                }));
            }
            go.countDown();
            for (Future<Void> f : both) {
                f.get(20, TimeUnit.SECONDS); // neither fails on the primary key: the loser finds it claimed
            }
        }

        assertThat(outcomes()).hasSize(10).allSatisfy(outcome -> assertThat(outcome)
                .isEqualTo("skipped: no secret '" + SECRET + "' in the catalog"));
    }

    private List<String> outcomes() throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "select outcome from schedule_run where secret_id = ? order by fire_time")) {
            ps.setString(1, SECRET);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }
}

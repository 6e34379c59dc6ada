package dev.rotor.orchestrator.it;

import static dev.rotor.contracts.messages.Direction.FORWARD;
import static dev.rotor.contracts.messages.Step.STAGE_SECRET;
import static dev.rotor.contracts.messages.Step.UPDATE_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.contracts.messages.StepRequested;
import dev.rotor.local.KafkaResource;
import dev.rotor.local.PostgresResource;
import dev.rotor.local.auth.AuthResource;
import dev.rotor.orchestrator.schedule.ScheduledRuns;
import io.quarkus.arc.ClientProxy;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.lang.reflect.Field;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A query run again reuses its cached plan. Hibernate (7.4) keys a native select's plan by its SQL and its result
 * mapping, and the mapping of one execution never equals the next one's, with a result class or without: every
 * execution added a plan, all with the same hash, so each lookup walked a growing bin of the cache (4 % of the
 * orchestrator's CPU under {@code bench sagas}). Replies and the schedule's poll ran such selects all the time; now
 * a reply's de-dupe is an update statement and the poll goes through the reactive client, and their plans stay as
 * many as after the first run. (Rare paths, such as the report and the audit reads, still use native selects.)
 */
@QuarkusTest
@QuarkusTestResource(AuthResource.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "orchestrator"))
class QueryPlanCacheTest {
    @Inject
    Mutiny.SessionFactory sessions;

    @Inject
    ScheduledRuns schedule;

    private final Flow flow = new Flow();

    @AfterEach
    void close() {
        flow.close();
    }

    @Test
    void repliesAndTheSchedulePollReuseTheirPlans() throws Throwable {
        rotate("orch-plans-1"); // every statement of a rotation has its plan now
        poll();
        int plans = cachedPlans();

        for (int n = 2; n <= 4; n++) {
            rotate("orch-plans-" + n);
        }
        for (int i = 0; i < 20; i++) {
            poll();
        }

        assertThat(cachedPlans()).as("query plans after 3 more rotations and 20 polls").isEqualTo(plans);
    }

    private void poll() throws Throwable {
        VertxContextSupport.subscribeAndAwait(() -> schedule.dueDeferrals(Instant.now()));
    }

    private void rotate(String secretId) {
        UUID id = Api.start(secretId, "MANUAL");
        StepRequested stage = flow.await(id, STAGE_SECRET, FORWARD, 1);
        Flow.reply(stage.succeeded(1, 2, "staged"));
        StepRequested update = flow.await(id, UPDATE_SECRET, FORWARD, 1);
        Flow.reply(update.succeeded(1, 2, "updated"));
        Api.awaitState(id, "COMPLETED");
    }

    /** The reactive session factory's cached query plans (its delegate is the ORM session factory). */
    private int cachedPlans() throws Exception {
        Object factory = ClientProxy.unwrap(sessions);
        Field delegate = factory.getClass().getDeclaredField("delegate");
        delegate.setAccessible(true);
        return ((SessionFactoryImplementor) delegate.get(factory)).getQueryEngine().getInterpretationCache()
                .getNumberOfCachedQueryPlans();
    }
}

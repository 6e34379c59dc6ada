package dev.rotor.orchestrator.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.contracts.messages.AuditCheckpoint;
import dev.rotor.local.KafkaResource;
import dev.rotor.local.PostgresResource;
import dev.rotor.local.auth.AuthResource;
import dev.rotor.local.auth.TestAuth;
import dev.rotor.orchestrator.outbox.OutboxRelay;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Two orchestrators (or one restarted) publish the audit chain's head each on its own schedule, and each remembers
 * only what it published itself. A head must still go out once: this application's checkpointer and a second one
 * (another instance's, or this one's after a restart, which remembers nothing) publish the same head, against the
 * real PostgreSQL; the outbox holds one row for it, under the id derived from the head.
 */
@QuarkusTest
@QuarkusTestResource(AuthResource.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "orchestrator"))
class CheckpointsOfTwoInstancesTest {
    private static final String TYPE = "dev.rotor.audit-checkpoint.v1";

    @Inject
    AgroalDataSource dataSource;
    @Inject
    AuditCheckpoints checkpoints;
    @Inject
    OutboxRelay relay;

    @Test
    void aHeadIsPublishedOnceWhicheverInstancesPublishIt() throws Throwable {
        // A refused call is audited: the head moves past whatever earlier tests published.
        RestAssured.given().header("Authorization", TestAuth.bearer("viewer"))
                .post("/api/rotations/" + UUID.randomUUID() + "/abort").then().statusCode(403);
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("select audit_chain_pending(2147483647)");
        }
        AuditCheckpoints other = new AuditCheckpoints();
        other.relay = relay;

        AuditCheckpoint first = VertxContextSupport.subscribeAndAwait(() -> checkpoints.publish());
        AuditCheckpoint second = VertxContextSupport.subscribeAndAwait(() -> other.publish());

        assertThat(first).isNotNull();
        // Nothing for the same head; a later head only if another test's background work moved it meanwhile.
        if (second != null) {
            assertThat(second.seq()).isGreaterThan(first.seq());
        }
        assertThat(rowsFor(first.seq())).containsExactly(AuditCheckpoints.id(first) + " " + first.headHash());
        // The same head published again under its id by a third (restarted) checkpointer: still one row.
        AuditCheckpoints restarted = new AuditCheckpoints();
        restarted.relay = relay;
        VertxContextSupport.subscribeAndAwait(() -> restarted.publish());
        assertThat(rowsFor(first.seq())).containsExactly(AuditCheckpoints.id(first) + " " + first.headHash());
    }

    /** The outbox rows of the checkpoint of entry {@code seq}, as "id hash". */
    private List<String> rowsFor(long seq) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select id, payload::json->>'headHash' from outbox where type = ? and (payload::json->>'seq')::bigint = ?")) {
            ps.setString(1, TYPE);
            ps.setLong(2, seq);
            List<String> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1) + " " + rs.getString(2));
                }
            }
            return rows;
        }
    }
}

package dev.rotor.orchestrator.retention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.local.KafkaResource;
import dev.rotor.local.auth.AuthResource;
import dev.rotor.local.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
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
import org.junit.jupiter.api.Test;

/**
 * The pruning against the real schema, inside a transaction that is rolled back afterwards, so the relay and the other
 * tests never see these rows. Retention is the default 7 days.
 */
@QuarkusTest
@QuarkusTestResource(AuthResource.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "orchestrator"))
class TablePrunerTest {
    private static final Instant NOW = Instant.now();
    private static final Instant OLD = NOW.minus(Duration.ofDays(8));
    private static final Instant RECENT = NOW.minus(Duration.ofDays(6));

    @Inject
    AgroalDataSource dataSource;
    @Inject
    TablePruner pruner;

    @Test
    void oldPublishedOutboxRowsAndTheDeDuplicationRowsOfLongEndedRotationsGo() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                UUID publishedOld = outbox(c, OLD, OLD);
                UUID publishedRecent = outbox(c, OLD, RECENT);
                UUID unpublishedOld = outbox(c, OLD, null);

                UUID endedOld = rotation(c, "COMPLETED", OLD);
                UUID endedOldInGrace = rotation(c, "COMPLETED", OLD);
                timer(c, endedOldInGrace);
                UUID endedRecent = rotation(c, "ROLLED_BACK", RECENT);
                UUID running = rotation(c, "RUNNING", null);
                for (UUID r : List.of(endedOld, endedOldInGrace, endedRecent, running)) {
                    reply(c, r, 1);
                    reply(c, r, 2);
                }
                UUID requestOld = request(c, endedOld, OLD);
                UUID requestRunning = request(c, running, OLD);
                UUID requestNoRotation = request(c, null, OLD);
                UUID requestNoRotationRecent = request(c, null, RECENT);
                // Far past any real seq, so it never meets the live chain; rolled back with the rest.
                update(c, "insert into audit_entry (seq, at, kind, subject, roles, source, rotation_id, prev_hash,"
                        + " hash) values (9000000000000000, ?, 'rotation-completed', 'orchestrator', '', 'engine', ?,"
                        + " repeat('0', 64), repeat('f', 64))", ts(OLD), endedOld);

                assertThat(pruner.prune(c, NOW)).isEqualTo(new TablePruner.Pruned(1, 2, 2));

                assertThat(ids(c, "select id from outbox where id = any (?)",
                        publishedOld, publishedRecent, unpublishedOld))
                        .containsExactlyInAnyOrder(publishedRecent, unpublishedOld);
                assertThat(ids(c, "select distinct rotation_id from processed_reply where rotation_id = any (?)",
                        endedOld, endedOldInGrace, endedRecent, running))
                        .containsExactlyInAnyOrder(endedOldInGrace, endedRecent, running);
                assertThat(ids(c, "select request_id from processed_request where request_id = any (?)",
                        requestOld, requestRunning, requestNoRotation, requestNoRotationRecent))
                        .containsExactlyInAnyOrder(requestRunning, requestNoRotationRecent);
                assertThat(ids(c, "select rotation_id from audit_entry where rotation_id = any (?)", endedOld))
                        .as("audit entries are never pruned, whatever their age").containsExactly(endedOld);
                assertThat(pruner.prune(c, NOW)).as("a second run finds nothing").isEqualTo(
                        new TablePruner.Pruned(0, 0, 0));
            } finally {
                c.rollback();
            }
        }
    }

    private static UUID outbox(Connection c, Instant created, Instant published) throws SQLException {
        UUID id = UUID.randomUUID();
        update(c, "insert into outbox (id, topic, msg_key, type, payload, created_at, published_at)"
                + " values (?, 'rotor.rotations', 'k', 'dev.rotor.rotation-completed.v1', '{}', ?, ?)",
                id, ts(created), ts(published));
        return id;
    }

    private static UUID rotation(Connection c, String state, Instant completed) throws SQLException {
        UUID id = UUID.randomUUID();
        update(c, "insert into rotation (id, secret_id, strategy, trigger, state, requested_at, updated_at,"
                + " completed_at) values (?, ?, 'dual-key', 'MANUAL', ?, ?, ?, ?)", id, "prune-" + id, state,
                ts(OLD), ts(OLD), ts(completed));
        return id;
    }

    private static void timer(Connection c, UUID rotation) throws SQLException {
        update(c, "insert into timer (id, rotation_id, secret_id, kind, due_at, created_at)"
                + " values (?, ?, 'prune', 'RETIRE', ?, ?)", UUID.randomUUID(), rotation, ts(NOW), ts(OLD));
    }

    private static void reply(Connection c, UUID rotation, int attempt) throws SQLException {
        update(c, "insert into processed_reply (rotation_id, step, attempt, direction, reply_type, received_at)"
                + " values (?, 'STAGE_SECRET', ?, 'FORWARD', 'dev.rotor.step-succeeded.v1', ?)", rotation, attempt,
                ts(OLD));
    }

    private static UUID request(Connection c, UUID rotation, Instant received) throws SQLException {
        UUID id = UUID.randomUUID();
        update(c, "insert into processed_request (request_id, rotation_id, outcome, received_at)"
                + " values (?, ?, 'accepted', ?)", id, rotation, ts(received));
        return id;
    }

    private static List<UUID> ids(Connection c, String sql, UUID... among) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("uuid", among));
            List<UUID> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getObject(1, UUID.class));
                }
            }
            return out;
        }
    }

    private static void update(Connection c, String sql, Object... values) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                ps.setObject(i + 1, values[i]);
            }
            ps.executeUpdate();
        }
    }

    private static Timestamp ts(Instant at) {
        return at == null ? null : Timestamp.from(at);
    }
}

package dev.rotor.orchestrator.it;

import static dev.rotor.contracts.messages.Direction.FORWARD;
import static dev.rotor.contracts.messages.Step.STAGE_SECRET;
import static dev.rotor.contracts.messages.Step.UPDATE_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.local.KafkaResource;
import dev.rotor.local.PgServer;
import dev.rotor.local.PostgresResource;
import dev.rotor.local.auth.AuthResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A superuser edits one entry of a real rotation's audit trail, then deletes another, with the append-only trigger
 * disabled: {@code rotor audit verify} fails after each change, naming each entry. The database is the one every
 * test shares (test resources are global), so both changes are undone afterwards and the chain checked intact again.
 */
@QuarkusTest
@QuarkusTestResource(AuthResource.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "orchestrator"))
class AuditTamperTest {
    private static final String DATABASE = "orchestrator";
    private final Flow flow = new Flow();

    @AfterEach
    void close() {
        flow.close();
    }

    @Test
    void verifyNamesTheEditedAndThenTheDeletedEntry() throws Exception {
        UUID id = Api.start("orch-audit-tamper", "MANUAL");
        Flow.reply(flow.await(id, STAGE_SECRET, FORWARD, 1).succeeded(1, 2, "staged"));
        Flow.reply(flow.await(id, UPDATE_SECRET, FORWARD, 1).succeeded(1, 2, "updated"));
        Api.awaitState(id, "COMPLETED");

        AuditVerify.Outcome intact = AuditVerify.run(DATABASE);
        assertThat(intact.code()).as(intact.output()).isZero();
        assertThat(intact.output()).matches("audit chain OK: \\d+ entries, head entry \\d+ hash [0-9a-f]{64}\\s*");

        try (Connection c = superuser(); Statement st = c.createStatement()) {
            long requested = seq(st, id, "rotation-requested");
            long staged = seq(st, id, "step-succeeded");
            st.execute("create temp table saved_entry as select * from audit_entry where seq = " + staged);
            st.execute("alter table audit_entry disable trigger audit_entry_no_update_delete");
            try {
                assertThat(st.executeUpdate("update audit_entry set reason = 'nobody asked' where seq = "
                        + requested)).isEqualTo(1);
                AuditVerify.Outcome edited = AuditVerify.run(DATABASE);
                assertThat(edited.code()).isEqualTo(1);
                assertThat(edited.output()).startsWith("audit chain BROKEN (1 problem in ").contains("; first: entry "
                        + requested + " was edited: its hash does not match its content (kind rotation-requested");

                assertThat(st.executeUpdate("delete from audit_entry where seq = " + staged)).isEqualTo(1);
                AuditVerify.Outcome deleted = AuditVerify.run(DATABASE);
                assertThat(deleted.code()).isEqualTo(1);
                assertThat(deleted.output()).startsWith("audit chain BROKEN (2 problems in ")
                        .contains("; first: entry " + requested + " was edited")
                        .contains("\n  also: entry " + staged + " was deleted: entry " + (staged + 1) + " follows entry "
                                + (staged - 1));
            } finally {
                st.executeUpdate("update audit_entry set reason = 'test' where seq = " + requested);
                st.executeUpdate("insert into audit_entry select * from saved_entry on conflict do nothing");
                st.execute("alter table audit_entry enable trigger audit_entry_no_update_delete");
            }
            try (ResultSet rs = st.executeQuery("select tgenabled from pg_trigger"
                    + " where tgname = 'audit_entry_no_update_delete'")) {
                rs.next();
                assertThat(rs.getString(1)).as("the trigger is back").isEqualTo("O");
            }
        }
        AuditVerify.Outcome restored = AuditVerify.run(DATABASE);
        assertThat(restored.code()).as(restored.output()).isZero();
    }

    private static long seq(Statement st, UUID rotation, String kind) throws Exception {
        try (ResultSet rs = st.executeQuery("select min(seq) from audit_entry where rotation_id = '" + rotation
                + "' and kind = '" + kind + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Connection superuser() throws Exception {
        PgServer pg = PostgresResource.server();
        return DriverManager.getConnection(pg.jdbcUrl(DATABASE), pg.user(), pg.password());
    }
}

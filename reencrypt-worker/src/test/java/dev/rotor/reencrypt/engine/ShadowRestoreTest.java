package dev.rotor.reencrypt.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotor.contracts.catalog.ColumnSpec;
import dev.rotor.contracts.cipher.ColumnKey;
import dev.rotor.contracts.cipher.MasterKey;
import dev.rotor.reencrypt.bench.LockboxTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shadow written with the re-encryption (atomic: in its one transaction; online: with each chunk), and the undo
 * from it, against a real PostgreSQL: every untouched row gets its old ciphertext back byte for byte, rows the
 * application wrote under the new key since are re-encrypted back to the old key (never overwritten with the stale
 * shadow value), rows it inserted since too.
 */
class ShadowRestoreTest {
    private static final int ROWS = 5_000;

    private static Database db;
    private static Connection c;
    private final MasterKey v1 = TestDb.randomKey(1);
    private final MasterKey v2 = TestDb.randomKey(2);
    private final ReencryptEngine engine = new ReencryptEngine(EngineSettings.defaults().withChunkSize(700));

    @BeforeAll
    static void connect() throws Exception {
        db = TestDb.database();
        c = db.open();
    }

    @AfterAll
    static void close() throws Exception {
        c.close();
    }

    @Test
    void atomicRunShadowsEveryRowAndTheUndoRestoresThemAndKeepsWhatTheAppWroteSince() throws Exception {
        undoRoundTrip("shadow_atomic", Mode.ATOMIC);
    }

    @Test
    void onlineRunShadowsEveryRowPerChunkAndTheUndoRestoresThem() throws Exception {
        undoRoundTrip("shadow_online", Mode.ONLINE);
    }

    /** {@code ('id', 'value'), …} of the rows as they were, for a VALUES list. */
    private static String originals(Map<String, String> rows) {
        StringBuilder sql = new StringBuilder();
        rows.forEach((id, value) -> sql.append(sql.length() == 0 ? "" : ", ").append("('").append(id).append("', '")
                .append(value.replace("'", "''")).append("')"));
        return sql.toString();
    }

    private void undoRoundTrip(String table, Mode mode) throws Exception {
        LockboxTable.create(c, table, ROWS, v1);
        Map<String, String> original = values(table);
        String tag = Shadow.tag(UUID.randomUUID());
        ReencryptJob forward = ReencryptEngineTest.job(table, mode, false, v1, v2).shadowed(tag);

        assertThat(engine.run(db, forward, RunControl.NONE).rewritten()).isEqualTo(ROWS);
        assertThat(LockboxTable.mismatches(c, table, v2, id -> 0)).isZero();
        assertThat(count("SELECT count(*) FROM rotor.shadow_" + tag + "_0")).isEqualTo(ROWS);
        // Every old ciphertext, and how to recognise every new one: online mode's chunks insert the MD5 of each
        // value they write; atomic mode records its transaction, which every row it wrote carries as its xmin.
        assertThat(count("SELECT count(*) FROM rotor.shadow_" + tag + "_0 s JOIN (VALUES " + originals(original)
                + ") AS o(id, value) ON o.id = s.rotor_id::text WHERE s.rotor_old = o.value")).isEqualTo(ROWS);
        if (mode == Mode.ATOMIC) {
            assertThat(count("SELECT count(*) FROM rotor.shadow_" + tag + "_xact x JOIN " + table
                    + " t ON t.xmin = (x.rotor_txid % 4294967296)::text::xid")).isEqualTo(ROWS);
        } else {
            assertThat(count("SELECT count(*) FROM rotor.shadow_" + tag + "_0 s JOIN " + table
                    + " t ON t.id = s.rotor_id WHERE s.rotor_new_md5 = md5(t.value_ciphertext)::uuid"))
                    .isEqualTo(ROWS);
        }

        // The application, now on the new key, rewrites three rows and inserts one.
        List<String> ids = new ArrayList<>(original.keySet());
        Map<String, Integer> generation = new HashMap<>();
        ColumnKey now = LockboxTable.key(v2, table);
        try (PreparedStatement update = c.prepareStatement("UPDATE " + table
                + " SET value_ciphertext = ? WHERE id = ?::uuid")) {
            for (String id : ids.subList(10, 13)) {
                update.setString(1, LockboxTable.CODEC.encrypt(now, id, LockboxTable.plaintext(id, 7)));
                update.setString(2, id);
                update.executeUpdate();
                generation.put(id, 7);
            }
        }
        String added = UUID.randomUUID().toString();
        execute("INSERT INTO " + table + " (id, value_ciphertext) VALUES ('" + added + "', '"
                + LockboxTable.CODEC.encrypt(now, added, LockboxTable.plaintext(added, 0)) + "')");

        ReencryptEngine.Restored undo = engine.restore(db, forward, RunControl.NONE);

        assertThat(undo.restored()).isEqualTo(ROWS - 3);
        assertThat(undo.rest().rewritten()).isEqualTo(4);
        assertThat(LockboxTable.mismatches(c, table, v1, id -> generation.getOrDefault(id, 0))).isZero();
        Map<String, String> after = values(table);
        original.forEach((id, value) -> {
            if (!generation.containsKey(id)) {
                assertThat(after.get(id)).as("row %s", id).isEqualTo(value); // the very bytes it held before
            }
        });
        assertThat(undo.summary()).startsWith((ROWS - 3) + " rows restored from the shadow in ")
                .contains("; 4 rows the application wrote since re-encrypted back");

        // Again: nothing left to restore, nothing to re-encrypt.
        ReencryptEngine.Restored again = engine.restore(db, forward, RunControl.NONE);
        assertThat(again.restored()).isZero();
        assertThat(again.rest().rewritten()).isZero();

        assertThat(Shadow.drop(db, tag)).isEqualTo(mode == Mode.ATOMIC ? 2 : 1); // atomic: and its _xact
        assertThat(Shadow.drop(db, tag)).isZero();
        assertThatThrownBy(() -> engine.restore(db, forward, RunControl.NONE))
                .isInstanceOfSatisfying(ReencryptException.class, e -> assertThat(e.retryable()).isFalse())
                .hasMessage("no shadow of this rotation in the target database (schema rotor): it wrote none, or it"
                        + " was dropped when the previous version retired; nothing was changed");
        assertThat(LockboxTable.mismatches(c, table, v1, id -> generation.getOrDefault(id, 0))).isZero();
    }

    @Test
    void atomicUndoOfTwoColumnsOfOneTableRestoresBothAndLeavesEveryRowTheAppWroteToTheReversedJob() throws Exception {
        String table = "shadow_two";
        LockboxTable.create(c, table, ROWS, v1);
        // A second column under the same column key (label "value"): the undo of the first column writes every row it
        // restores, so the second must still find the rows the job wrote.
        execute("ALTER TABLE " + table + " ADD COLUMN copy_ciphertext text");
        execute("UPDATE " + table + " SET copy_ciphertext = value_ciphertext");
        Map<String, String> value = values(table);
        Map<String, String> copy = values(table, "copy_ciphertext");
        String tag = Shadow.tag(UUID.randomUUID());
        ReencryptJob forward = new ReencryptJob(LockboxTable.CODEC, List.of(
                ColumnTarget.of(new ColumnSpec(table, "id", "value_ciphertext", table, null)),
                ColumnTarget.of(new ColumnSpec(table, "id", "copy_ciphertext", table, LockboxTable.LABEL_COLUMN))),
                Mode.ATOMIC, false, v1, v2).shadowed(tag);
        List<Progress> progress = new ArrayList<>();
        RunControl follow = new RunControl() {
            @Override
            public void onProgress(Progress p) {
                progress.add(p);
            }
        };
        assertThat(engine.run(db, forward, follow).rewritten()).isEqualTo(2 * ROWS);
        // The rows to do, from the planner's estimate (the shadow's copy scans the table): both columns, from the first
        // report on.
        assertThat(progress).isNotEmpty().allSatisfy(p -> assertThat(p.total()).isEqualTo(2L * ROWS));

        // The application touches another column of two rows: their xmin changes, although both ciphertexts are
        // still what the job wrote. The undo leaves them to the reversed job, which re-encrypts both back.
        List<String> ids = new ArrayList<>(value.keySet());
        execute("UPDATE " + table + " SET updated_at = now() WHERE id IN ('" + ids.get(1) + "', '" + ids.get(2) + "')");

        ReencryptEngine.Restored undo = engine.restore(db, forward, RunControl.NONE);

        assertThat(undo.note()).isNull();
        assertThat(undo.restored()).isEqualTo(2L * (ROWS - 2));
        assertThat(undo.rest().rewritten()).isEqualTo(4);
        assertThat(LockboxTable.mismatches(c, table, v1, id -> 0)).isZero();
        Map<String, String> valueAfter = values(table);
        Map<String, String> copyAfter = values(table, "copy_ciphertext");
        for (String id : ids.subList(3, ids.size())) {
            assertThat(valueAfter.get(id)).as("row %s", id).isEqualTo(value.get(id));
            assertThat(copyAfter.get(id)).as("row %s", id).isEqualTo(copy.get(id));
        }
        ColumnKey old = LockboxTable.key(v1, table);
        for (String id : ids.subList(1, 3)) {
            assertThat(LockboxTable.CODEC.decrypt(old, id, copyAfter.get(id))).isEqualTo(LockboxTable.plaintext(id, 0));
        }
        Shadow.drop(db, tag);
    }

    @Test
    void anAtomicShadowWhoseTransactionIsBeyondTheXminHorizonRestoresNothingAndTheReversedJobDoesItAll()
            throws Exception {
        String table = "shadow_horizon";
        LockboxTable.create(c, table, ROWS, v1);
        String tag = Shadow.tag(UUID.randomUUID());
        ReencryptJob forward = ReencryptEngineTest.job(table, Mode.ATOMIC, false, v1, v2).shadowed(tag);
        engine.run(db, forward, RunControl.NONE);
        // The same low 32 bits, one epoch later: as if 2^32 transactions had run and the xmin named another one.
        execute("UPDATE rotor.shadow_" + tag + "_xact SET rotor_txid = rotor_txid + 4294967296");

        ReencryptEngine.Restored undo = engine.restore(db, forward, RunControl.NONE);

        assertThat(undo.restored()).isZero();
        assertThat(undo.note()).contains("not within the last 2^31 transactions of this database")
                .contains("every row was re-encrypted back instead");
        assertThat(undo.summary()).startsWith(undo.note());
        assertThat(undo.rest().rewritten()).isEqualTo(ROWS);
        assertThat(LockboxTable.mismatches(c, table, v1, id -> 0)).isZero();
        Shadow.drop(db, tag);
    }

    @Test
    void aShadowLeftByARunThatNeverCommittedIsMadeAgainAndOneOfARunThatCommittedIsKept() throws Exception {
        String table = "shadow_orphan";
        LockboxTable.create(c, table, ROWS, v1);
        Map<String, String> original = values(table);
        String tag = Shadow.tag(UUID.randomUUID());
        // As a worker killed after the shadow's copy committed and before the job did leaves it: a shadow and no
        // record of the job's transaction. Its values are stale: the application wrote since.
        execute("CREATE SCHEMA IF NOT EXISTS rotor");
        execute("CREATE TABLE rotor.shadow_" + tag + "_0 AS SELECT id AS rotor_id, 'stale' AS rotor_old,"
                + " NULL::uuid AS rotor_new_md5 FROM " + table);
        ReencryptJob forward = ReencryptEngineTest.job(table, Mode.ATOMIC, false, v1, v2).shadowed(tag);

        assertThat(engine.run(db, forward, RunControl.NONE).rewritten()).isEqualTo(ROWS);
        assertThat(count("SELECT count(*) FROM rotor.shadow_" + tag + "_0 s JOIN (VALUES " + originals(original)
                + ") AS o(id, value) ON o.id = s.rotor_id::text WHERE s.rotor_old = o.value")).isEqualTo(ROWS);

        // The same job delivered again after it committed: every row is done, and the shadow it made is kept.
        assertThat(engine.run(db, forward, RunControl.NONE).rewritten()).isZero();
        assertThat(engine.restore(db, forward, RunControl.NONE).restored()).isEqualTo(ROWS);
        assertThat(values(table)).isEqualTo(original);
        Shadow.drop(db, tag);
    }

    @Test
    void aFailedAtomicRunLeavesNoShadowAndADryRunWritesNone() throws Exception {
        LockboxTable.create(c, "shadow_fail", ROWS, v1);
        String tag = Shadow.tag(UUID.randomUUID());
        RunControl crash = new RunControl() {
            @Override
            public void afterChunkWritten(ColumnTarget column, long written) {
                if (written >= ROWS / 2) {
                    throw new IllegalStateException("injected failure");
                }
            }
        };
        ReencryptJob forward = ReencryptEngineTest.job("shadow_fail", Mode.ATOMIC, false, v1, v2).shadowed(tag);
        assertThatThrownBy(() -> engine.run(db, forward, crash)).hasMessage("injected failure");
        assertThat(count("SELECT count(*) FROM pg_tables WHERE tablename LIKE 'shadow\\_" + tag + "%'")).isZero();

        ReencryptJob dry = ReencryptEngineTest.job("shadow_fail", Mode.ATOMIC, true, v1, v2).shadowed(tag);
        engine.run(db, dry, RunControl.NONE);
        assertThat(count("SELECT count(*) FROM pg_tables WHERE tablename LIKE 'shadow\\_" + tag + "%'")).isZero();
    }

    private static Map<String, String> values(String table) throws Exception {
        return values(table, "value_ciphertext");
    }

    private static Map<String, String> values(String table, String column) throws Exception {
        Map<String, String> out = new HashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id::text, " + column
                + " FROM " + table)) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        }
        return out;
    }

    private static long count(String sql) throws Exception {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void execute(String sql) throws Exception {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}

package dev.rotor.reencrypt.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotor.contracts.catalog.ColumnSpec;
import dev.rotor.contracts.cipher.MasterKey;
import dev.rotor.reencrypt.bench.LockboxTable;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The engine against a real PostgreSQL, on a Lockbox table shaped like ToolJet's. */
class ReencryptEngineTest {
    private static final int ROWS = 20_000;
    private static final EngineSettings SMALL_CHUNKS = EngineSettings.defaults().withChunkSize(1_000);

    private static Database db;
    private static Connection c;
    private final MasterKey v1 = TestDb.randomKey(1);
    private final MasterKey v2 = TestDb.randomKey(2);
    private final ReencryptEngine engine = new ReencryptEngine(SMALL_CHUNKS);

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
    void atomicRunLeavesEveryRowDecryptingToItsPlaintextUnderTheNewKey() throws Exception {
        LockboxTable.create(c, "atomic_ok", ROWS, v1);
        ReencryptReport report = engine.run(db, job("atomic_ok", Mode.ATOMIC, false, v1, v2), RunControl.NONE);
        assertThat(report.rewritten()).isEqualTo(ROWS);
        assertThat(report.summary()).startsWith(ROWS + " rows re-encrypted in 1 column");
        assertThat(LockboxTable.mismatches(c, "atomic_ok", v2, id -> 0)).isZero();
    }

    @Test
    void atomicRunRollsEverythingBackOnAFailureHalfway() throws Exception {
        LockboxTable.create(c, "atomic_fail", ROWS, v1);
        String before = LockboxTable.checksum(c, "atomic_fail");
        RunControl crashHalfway = new RunControl() {
            @Override
            public void afterChunkWritten(ColumnTarget column, long written) {
                if (written >= ROWS / 2) {
                    throw new IllegalStateException("injected failure");
                }
            }
        };
        assertThatThrownBy(() -> engine.run(db, job("atomic_fail", Mode.ATOMIC, false, v1, v2), crashHalfway))
                .hasMessage("injected failure");
        assertThat(LockboxTable.checksum(c, "atomic_fail")).isEqualTo(before);
        assertThat(LockboxTable.mismatches(c, "atomic_fail", v1, id -> 0)).isZero();
    }

    @Test
    void atomicRunReadsEveryWrittenValueBackAndRollsBackWhenTheDatabaseStoredSomethingElse() throws Exception {
        LockboxTable.create(c, "atomic_readback", ROWS, v1);
        String altered = scalar("SELECT id::text FROM atomic_readback ORDER BY id OFFSET 12345 LIMIT 1");
        // The database takes every row (the UPDATE's count is right) but keeps the old ciphertext of one: only
        // comparing each stored value with the one written (and verified under the new key) can tell.
        execute("CREATE OR REPLACE FUNCTION atomic_readback_keep_old() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                + "IF NEW.id = '" + altered + "' THEN NEW.value_ciphertext := OLD.value_ciphertext; END IF; "
                + "RETURN NEW; END $$");
        execute("CREATE TRIGGER keep_old BEFORE UPDATE ON atomic_readback FOR EACH ROW "
                + "EXECUTE FUNCTION atomic_readback_keep_old()");
        String before = LockboxTable.checksum(c, "atomic_readback");
        String storedValue = scalar("SELECT value_ciphertext FROM atomic_readback WHERE id = '" + altered + "'");
        assertThatThrownBy(() -> engine.run(db, job("atomic_readback", Mode.ATOMIC, false, v1, v2), RunControl.NONE))
                .isInstanceOfSatisfying(ReencryptException.class, e -> assertThat(e.retryable()).isFalse())
                .hasMessageStartingWith("verification failed: row " + altered + " of table atomic_readback (column "
                        + "atomic_readback.value_ciphertext) does not read back")
                .hasMessageContaining("rolled back")
                .message().doesNotContain(storedValue);
        assertThat(LockboxTable.checksum(c, "atomic_readback")).isEqualTo(before);
        assertThat(LockboxTable.mismatches(c, "atomic_readback", v1, id -> 0)).isZero();

        execute("DROP TRIGGER keep_old ON atomic_readback");
        assertThat(engine.run(db, job("atomic_readback", Mode.ATOMIC, false, v1, v2), RunControl.NONE).rewritten())
                .isEqualTo(ROWS);
        assertThat(LockboxTable.mismatches(c, "atomic_readback", v2, id -> 0)).isZero();
    }

    @Test
    void wrongOldKeyFailsBeforeAnyWriteNamingTableAndFirstRow() throws Exception {
        LockboxTable.create(c, "wrong_key", 5_000, v1);
        String before = LockboxTable.checksum(c, "wrong_key");
        String firstId = scalar("SELECT id::text FROM wrong_key ORDER BY id LIMIT 1");
        MasterKey notV1 = TestDb.randomKey(1);
        for (Mode mode : Mode.values()) {
            assertThatThrownBy(() -> engine.run(db, job("wrong_key", mode, false, notV1, v2), RunControl.NONE))
                    .isInstanceOfSatisfying(ReencryptException.class, e -> assertThat(e.retryable()).isFalse())
                    .hasMessage("pre-flight: row " + firstId + " of table wrong_key (column wrong_key.value_ciphertext)"
                            + " does not decrypt with key version 1: authentication failed (wrong key, wrong row or"
                            + " tampered); nothing was written");
        }
        assertThat(LockboxTable.checksum(c, "wrong_key")).isEqualTo(before);
    }

    @Test
    void dryRunDecryptsAndEncryptsEverythingButWritesNothing() throws Exception {
        LockboxTable.create(c, "dry_run", ROWS, v1);
        String before = LockboxTable.checksum(c, "dry_run");
        for (Mode mode : Mode.values()) {
            ReencryptReport report = engine.run(db, job("dry_run", mode, true, v1, v2), RunControl.NONE);
            assertThat(report.rewritten()).isEqualTo(ROWS);
            assertThat(report.summary()).startsWith("dry run: " + ROWS + " rows would be re-encrypted in 1 column, 0 "
                    + "undecryptable; estimated ");
        }
        assertThat(LockboxTable.checksum(c, "dry_run")).isEqualTo(before);
    }

    @Test
    void compensationBringsEveryRowBackAndIsANoOpWhenTheForwardNeverRan() throws Exception {
        LockboxTable.create(c, "compensate", ROWS, v1);
        String before = LockboxTable.checksum(c, "compensate");
        ReencryptJob forward = job("compensate", Mode.ATOMIC, false, v1, v2);

        ReencryptReport never = engine.run(db, forward.reversed(), RunControl.NONE);
        assertThat(never.rewritten()).isZero();
        assertThat(never.columns().get(0).alreadyUnderTarget()).isEqualTo(ROWS);
        assertThat(LockboxTable.checksum(c, "compensate")).isEqualTo(before);

        engine.run(db, forward, RunControl.NONE);
        assertThat(LockboxTable.mismatches(c, "compensate", v2, id -> 0)).isZero();
        ReencryptReport back = engine.run(db, forward.reversed(), RunControl.NONE);
        assertThat(back.rewritten()).isEqualTo(ROWS);
        assertThat(LockboxTable.mismatches(c, "compensate", v1, id -> 0)).isZero();
    }

    @Test
    void skipAndReportListsUndecryptableRowsAndRewritesTheRest() throws Exception {
        LockboxTable.create(c, "skip_bad", 3_000, v1);
        String bad = scalar("SELECT id::text FROM skip_bad ORDER BY id OFFSET 1500 LIMIT 1");
        execute("UPDATE skip_bad SET value_ciphertext = 'bm90IGEgbG9ja2JveCB2YWx1ZSBhdCBhbGwsIGp1c3QgdGV4dA==' "
                + "WHERE id = '" + bad + "'");
        ReencryptEngine skipping = new ReencryptEngine(SMALL_CHUNKS.withPolicy(UndecryptablePolicy.SKIP_AND_REPORT));
        ReencryptReport report = skipping.run(db, job("skip_bad", Mode.ATOMIC, false, v1, v2), RunControl.NONE);
        assertThat(report.rewritten()).isEqualTo(2_999);
        assertThat(report.columns().get(0).undecryptableIds()).containsExactly(bad);
        assertThat(LockboxTable.mismatches(c, "skip_bad", v2, id -> 0)).isEqualTo(1);

        assertThatThrownBy(() -> engine.run(db, job("skip_bad", Mode.ATOMIC, false, v2, v1), RunControl.NONE))
                .hasMessageContaining("row " + bad + " of table skip_bad").hasMessageContaining("nothing was written");
    }

    @Test
    void refusesTheSameKeyMaterialUnderTwoVersions() {
        MasterKey sameAsV1 = MasterKey.of(2, new byte[32]);
        MasterKey zeroV1 = MasterKey.of(1, new byte[32]);
        assertThatThrownBy(() -> engine.run(db, job("whatever", Mode.ATOMIC, false, zeroV1, sameAsV1),
                RunControl.NONE)).hasMessage("key versions 1 and 2 hold the same key material; re-encrypting would "
                        + "change nothing");
    }

    static ReencryptJob job(String table, Mode mode, boolean dryRun, MasterKey from, MasterKey to) {
        return new ReencryptJob(LockboxTable.CODEC, List.of(ColumnTarget.of(new ColumnSpec(table, "id",
                "value_ciphertext", table, null))), mode, dryRun, from, to);
    }

    private static String scalar(String sql) throws Exception {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void execute(String sql) throws Exception {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}

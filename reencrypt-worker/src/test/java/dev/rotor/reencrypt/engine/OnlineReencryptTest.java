package dev.rotor.reencrypt.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotor.contracts.cipher.ColumnKey;
import dev.rotor.contracts.cipher.MasterKey;
import dev.rotor.reencrypt.bench.LockboxTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Online mode: per-chunk transactions, compare-and-set against a live application, resumption after a crash. */
class OnlineReencryptTest {
    private static final int ROWS = 20_000;

    private static Database db;
    private static Connection c;
    private final MasterKey v1 = TestDb.randomKey(1);
    private final MasterKey v2 = TestDb.randomKey(2);
    private final ReencryptEngine engine = new ReencryptEngine(EngineSettings.defaults().withChunkSize(500));

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
    void noApplicationWriteIsLostWhileTheRunGoesOn() throws Exception {
        LockboxTable.create(c, "online_live", ROWS, v1);
        List<String> ids = ids("online_live");
        Map<String, Integer> generation = new ConcurrentHashMap<>();
        AtomicBoolean firstPassDone = new AtomicBoolean();
        AtomicLong appWrites = new AtomicLong();
        // The application, still encrypting with the old key, rewrites random rows during the whole first pass.
        Thread app = new Thread(() -> {
            ColumnKey old = LockboxTable.key(v1, "online_live");
            try (Connection appDb = db.open(); PreparedStatement update = appDb.prepareStatement(
                    "UPDATE online_live SET value_ciphertext = ?, updated_at = now() WHERE id = ?::uuid")) {
                while (!firstPassDone.get()) {
                    String id = ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
                    int gen = generation.getOrDefault(id, 0) + 1;
                    update.setString(1, LockboxTable.CODEC.encrypt(old, id, LockboxTable.plaintext(id, gen)));
                    update.setString(2, id);
                    update.executeUpdate();
                    generation.put(id, gen);
                    appWrites.incrementAndGet();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        app.start();
        ReencryptReport report;
        try {
            report = engine.run(db, ReencryptEngineTest.job("online_live", Mode.ONLINE, false, v1, v2),
                    new RunControl() {
                        @Override
                        public void afterChunkWritten(ColumnTarget column, long written) {
                            if (written >= ROWS) {
                                firstPassDone.set(true);
                            }
                        }
                    });
        } finally {
            firstPassDone.set(true);
            app.join();
        }
        assertThat(appWrites.get()).isGreaterThan(100);
        assertThat(report.columns().get(0).passes()).isGreaterThanOrEqualTo(2);
        assertThat(LockboxTable.mismatches(c, "online_live", v2, id -> generation.getOrDefault(id, 0))).isZero();
    }

    @Test
    void aRunKilledPartwayIsResumedByRunningItAgain() throws Exception {
        LockboxTable.create(c, "online_resume", ROWS, v1);
        ReencryptJob job = ReencryptEngineTest.job("online_resume", Mode.ONLINE, false, v1, v2);
        AtomicLong committedBeforeCrash = new AtomicLong();
        assertThatThrownBy(() -> engine.run(db, job, new RunControl() {
            @Override
            public void afterChunkWritten(ColumnTarget column, long written) {
                if (written >= 6_000) {
                    throw new IllegalStateException("killed");
                }
                committedBeforeCrash.set(written);
            }
        })).hasMessage("killed");
        assertThat(committedBeforeCrash.get()).isEqualTo(5_500);
        assertThat(LockboxTable.mismatches(c, "online_resume", v2, id -> 0)).isEqualTo(ROWS - 5_500);

        ReencryptReport resumed = engine.run(db, job, RunControl.NONE);
        assertThat(resumed.columns().get(0).alreadyUnderTarget()).isEqualTo(5_500);
        assertThat(resumed.rewritten()).isEqualTo(ROWS - 5_500);
        assertThat(LockboxTable.mismatches(c, "online_resume", v2, id -> 0)).isZero();

        // And the compensation of that rotation takes every row back.
        engine.run(db, job.reversed(), RunControl.NONE);
        assertThat(LockboxTable.mismatches(c, "online_resume", v1, id -> 0)).isZero();
    }

    @Test
    void progressIsReportedWithTotalsAndRate() throws Exception {
        LockboxTable.create(c, "online_progress", 5_000, v1);
        List<Progress> seen = new ArrayList<>();
        new ReencryptEngine(EngineSettings.defaults().withChunkSize(500), 0).run(db,
                ReencryptEngineTest.job("online_progress", Mode.ONLINE, false, v1, v2), new RunControl() {
                    @Override
                    public void onProgress(Progress p) {
                        seen.add(p);
                    }
                });
        assertThat(seen).isNotEmpty();
        Progress last = seen.get(seen.size() - 1);
        assertThat(last.total()).isEqualTo(10_000); // two passes: rewrite, then verify
        assertThat(last.done()).isEqualTo(10_000);
        assertThat(last.rowsPerSecond()).isPositive();
        assertThat(last.etaSeconds()).isZero();
    }

    private static List<String> ids(String table) throws Exception {
        List<String> ids = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id::text FROM " + table)) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }
}

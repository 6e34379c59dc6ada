package dev.rotor.reencrypt.bench;

import dev.rotor.contracts.catalog.ColumnSpec;
import dev.rotor.contracts.cipher.MasterKey;
import dev.rotor.local.EmbeddedPostgres;
import dev.rotor.local.bench.CopyFloor;
import dev.rotor.reencrypt.engine.ColumnTarget;
import dev.rotor.reencrypt.engine.Database;
import dev.rotor.reencrypt.engine.EngineSettings;
import dev.rotor.reencrypt.engine.Mode;
import dev.rotor.reencrypt.engine.ReencryptEngine;
import dev.rotor.reencrypt.engine.ReencryptJob;
import dev.rotor.reencrypt.engine.ReencryptReport;
import dev.rotor.reencrypt.engine.RunControl;
import dev.rotor.reencrypt.engine.Shadow;
import java.security.SecureRandom;
import java.sql.Connection;
import java.util.HexFormat;
import java.util.List;

/**
 * {@code deploy/rotor bench reencrypt [--rows N]}: on one table, in one run, times (a) the ToolJet-style row-by-row
 * script, (b) the COPY floor without crypto, (c) Rotor atomic and (d) Rotor online, both writing the shadow as the
 * worker does (issue 14 §3), and (e) Rotor atomic without the shadow, and prints rows/s, the ratios c/b, d/b, a/c,
 * what the shadow costs (c/e, and its size) and the peak heap. Options: {@code --rows N} (1,000,000), {@code --baseline-rows N} (1,000,000: the
 * baseline runs on at most that many rows; beyond, its rate is extrapolated), {@code --chunk N} (10,000: the floor's
 * page and the engine's chunk), {@code --engine-chunk N} (the engine's chunk alone), {@code --threads N} (crypto
 * threads, 0 = one per core), {@code --phases abcde} (a subset, for profiling one phase), {@code --jdbc-url URL}
 * {@code --user U} with the password in {@code ROTOR_PG_PASSWORD} (a {@code --password P} is visible to every local
 * user), else an embedded PostgreSQL is started. Each phase also prints the CPU seconds of
 * the worker JVM and of the embedded PostgreSQL, and the engine phases where the job's thread spent its time.
 */
public final class ReencryptBench {
    private static final String TABLE = "bench_credentials";
    private static CpuMeter cpu;

    public static void main(String[] args) throws Exception {
        int rows = intArg(args, "--rows", 1_000_000);
        int baselineRows = Math.min(rows, intArg(args, "--baseline-rows", 1_000_000));
        int chunk = intArg(args, "--chunk", 10_000);
        int engineChunk = intArg(args, "--engine-chunk", chunk);
        int threads = intArg(args, "--threads", 0);
        String phases = arg(args, "--phases", "abcde"); // for profiling one phase: e.g. --phases bd
        String url = arg(args, "--jdbc-url", null);
        EmbeddedPostgres pg = null;
        if (url == null) {
            pg = EmbeddedPostgres.start();
            pg.createDatabase("rotor_bench");
            url = pg.jdbcUrl("rotor_bench");
        }
        Database db = Database.postgres(url, arg(args, "--user", EmbeddedPostgres.USER),
                arg(args, "--password", pg != null ? EmbeddedPostgres.PASSWORD
                        : System.getenv().getOrDefault("ROTOR_PG_PASSWORD", EmbeddedPostgres.PASSWORD)));
        MasterKey[] keys = {key(1), key(2), key(3), key(4)};
        System.out.printf("Rotor re-encryption benchmark: %,d rows of ~200-byte Lockbox plaintexts, %d cores, "
                + "max heap %d MB%n", rows, Runtime.getRuntime().availableProcessors(), HeapPeak.maxBytes() >> 20);
        cpu = CpuMeter.of(pg == null ? null : pg.dataDir());
        try (Connection c = db.open()) {
            long t = System.nanoTime();
            LockboxTable.create(c, TABLE, rows, keys[0]);
            System.out.printf("seeded in %.1f s (COPY)%n", secs(t));

            // Untimed: the first rewrite of a fresh table pays for growing the file; every timed phase then starts
            // from the same state (rewritten once, vacuumed, checkpointed).
            t = System.nanoTime();
            CopyFloor.run(c, TABLE, chunk);
            CopyFloor.vacuum(c, TABLE);
            System.out.printf("warm-up rewrite (untimed) in %.1f s; each timed phase starts after VACUUM ANALYZE and %s%n",
                    secs(t), CopyFloor.checkpointRefused ? "no CHECKPOINT (refused: not a superuser, not in"
                            + " pg_checkpoint)" : "CHECKPOINT");

            double b = Double.NaN;
            if (phases.contains("b")) {
                cpu.start();
                t = System.nanoTime();
                long floorRows = CopyFloor.run(c, TABLE, chunk);
                b = floorRows / secs(t);
                report("(b) copy floor, no crypto", floorRows, secs(t), b);
                System.out.println("    " + cpu.since());
                CopyFloor.vacuum(c, TABLE);
            }

            EngineSettings settings = EngineSettings.defaults().withChunkSize(engineChunk);
            settings = new EngineSettings(settings.chunkSize(), threads, settings.sampleSize(), settings.policy(),
                    settings.maxOnlinePasses());
            ReencryptEngine engine = new ReencryptEngine(settings);
            HeapPeak.reset();
            MasterKey current = keys[0];
            double cRate = Double.NaN;
            if (phases.contains("c")) {
                cRate = rotor(engine, db, Mode.ATOMIC, current, keys[1], "(c) Rotor atomic, with the shadow",
                        "benchc");
                current = keys[1];
            }
            long heapC = HeapPeak.peakBytes();
            long liveC = HeapPeak.liveBytes();
            CopyFloor.vacuum(c, TABLE);
            double eRate = Double.NaN;
            if (phases.contains("e")) {
                MasterKey other = current == keys[0] ? keys[1] : keys[0];
                eRate = rotor(engine, db, Mode.ATOMIC, current, other, "(e) Rotor atomic, no shadow", null);
                current = other;
                CopyFloor.vacuum(c, TABLE);
                System.out.printf("shadow cost: (c) with it / (e) without = %.2f%n", eRate / cRate);
            }
            HeapPeak.reset();
            double dRate = !phases.contains("d") ? Double.NaN
                    : rotor(engine, db, Mode.ONLINE, current, keys[2], "(d) Rotor online, with the shadow",
                            "benchd");
            long heapD = HeapPeak.peakBytes();
            long liveD = HeapPeak.liveBytes();
            CopyFloor.vacuum(c, TABLE);

            if (!phases.contains("a")) {
                System.out.printf("%nc/b = %.2f (target <= 1.25)   d/b = %.2f (target <= 1.4)%n", b / cRate,
                        b / dRate);
                System.out.printf("peak heap used: %d MB during (c), %d MB during (d) (target <= 256 MB; max heap %d"
                        + " MB); largest live set after a GC: %d MB / %d MB%n", heapC >> 20, heapD >> 20,
                        HeapPeak.maxBytes() >> 20, liveC >> 20, liveD >> 20);
                return;
            }
            cpu.start();
            t = System.nanoTime();
            long aRows = ToolJetBaseline.run(c, TABLE, baselineRows, keys[2], keys[3]);
            double a = aRows / secs(t);
            report("(a) ToolJet-style baseline" + (aRows < rows ? " (first " + aRows + " rows, rate extrapolated: "
                    + String.format("~%.0f s for %,d rows)", rows / a, rows) : ""), aRows, secs(t), a);
            System.out.println("    " + cpu.since());

            System.out.printf("%nc/b = %.2f (target <= 1.25)   d/b = %.2f (target <= 1.4)   a/c = %.1fx faster "
                    + "(target >= 15)%n", b / cRate, b / dRate, cRate / a);
            System.out.printf("a/b = %.1fx: the most any engine that reads and writes like the floor could reach%n",
                    b / a);
            System.out.printf("peak heap used: %d MB during (c), %d MB during (d) (target <= 256 MB; max heap %d MB);"
                    + " largest live set after a GC: %d MB / %d MB%n", heapC >> 20, heapD >> 20,
                    HeapPeak.maxBytes() >> 20, liveC >> 20, liveD >> 20);
            long mismatched = LockboxTable.mismatches(c, TABLE, keys[2], id -> 0);
            System.out.printf("check: %,d rows not under key 3 after (d) (expected %,d: the baseline moved them to"
                    + " key 4)%n", mismatched, aRows);
        } finally {
            if (pg != null) {
                pg.close();
            }
        }
    }

    /** @param shadow the shadow tag, as the worker writes one; null for none. Its size is printed, then it is dropped */
    private static double rotor(ReencryptEngine engine, Database db, Mode mode, MasterKey from, MasterKey to,
            String label, String shadow) throws java.sql.SQLException {
        ColumnTarget col = ColumnTarget.of(new ColumnSpec(TABLE, "id", "value_ciphertext", TABLE,
                LockboxTable.LABEL_COLUMN));
        cpu.start();
        long t = System.nanoTime();
        ReencryptReport r = engine.run(db, new ReencryptJob(LockboxTable.CODEC, List.of(col), mode, false, from, to,
                shadow), RunControl.NONE);
        double rate = r.rewritten() / secs(t);
        report(label, r.rewritten(), secs(t), rate);
        pause(); // the job's backend has exited: let the postmaster reap it, so its CPU time is counted
        System.out.println("    " + cpu.since());
        r.columns().forEach(cr -> System.out.println("    " + cr.passes() + " pass(es); job thread: " + cr.phases()));
        if (shadow != null) {
            // Its own connection, closed before the drop: the bench's connection may be inside a transaction, whose
            // lock on the shadow would hold the DROP up.
            try (Connection own = db.open(); java.sql.Statement st = own.createStatement();
                    java.sql.ResultSet rs = st.executeQuery(
                    "SELECT count(*), pg_total_relation_size('rotor.shadow_" + shadow + "_0') FROM rotor.shadow_"
                            + shadow + "_0")) {
                rs.next();
                System.out.printf("    shadow: %,d rows, %d MB (rotor.shadow_%s_0; dropped now)%n", rs.getLong(1),
                        rs.getLong(2) >> 20, shadow);
            }
            Shadow.drop(db, shadow);
        }
        return rate;
    }

    private static void pause() {
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void report(String label, long rows, double seconds, double rate) {
        System.out.printf("%-40s %,10d rows %8.1f s %,10.0f rows/s%n", label, rows, seconds, rate);
    }


    private static MasterKey key(int version) {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        return MasterKey.fromHex(version, HexFormat.of().formatHex(raw));
    }

    private static double secs(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static String arg(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    private static int intArg(String[] args, String name, int fallback) {
        String v = arg(args, name, null);
        return v == null ? fallback : Integer.parseInt(v.replace("_", "").replace(",", ""));
    }
}

package dev.rotor.reencrypt.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU seconds used by this JVM and by the embedded PostgreSQL (postmaster, live backends, and the backends that
 * ended, which Linux adds to the postmaster's children times), read from /proc. On a 2-core machine this shows
 * whether a phase is bound by the server, by the worker's crypto, or by neither.
 */
final class CpuMeter {
    private static final double TICK = 100.0; // USER_HZ

    private final long postmaster;
    private double jvm0;
    private double pg0;

    private CpuMeter(long postmaster) {
        this.postmaster = postmaster;
    }

    /** @param dataDir the embedded server's data directory, or null (then only the JVM is measured) */
    static CpuMeter of(Path dataDir) {
        long pid = -1;
        if (dataDir != null) {
            try {
                pid = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
            } catch (IOException | RuntimeException e) {
                pid = -1;
            }
        }
        CpuMeter m = new CpuMeter(pid);
        m.start();
        return m;
    }

    void start() {
        jvm0 = jvm();
        pg0 = pg();
    }

    /** "JVM x.x s CPU, PostgreSQL y.y s CPU" since {@link #start}. */
    String since() {
        double pg = pg();
        return String.format("CPU: worker JVM %.1f s, PostgreSQL %s", jvm() - jvm0,
                pg < 0 ? "n/a" : String.format("%.1f s", pg - pg0));
    }

    private static double jvm() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }

    private double pg() {
        if (postmaster < 0) {
            return -1;
        }
        double total = 0;
        long[] own = stat(postmaster);
        if (own == null) {
            return -1;
        }
        total += (own[1] + own[2] + own[3] + own[4]) / TICK;
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                long[] st = stat(Long.parseLong(name));
                if (st != null && st[0] == postmaster) {
                    total += (st[1] + st[2]) / TICK;
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return total;
    }

    // ppid, utime, stime, cutime, cstime
    private static long[] stat(long pid) {
        try {
            String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(f[1]), Long.parseLong(f[11]), Long.parseLong(f[12]),
                Long.parseLong(f[13]), Long.parseLong(f[14])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}

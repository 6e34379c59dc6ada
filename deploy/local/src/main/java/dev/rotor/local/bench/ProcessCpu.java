package dev.rotor.local.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.stream.Stream;

/**
 * The CPU each process of the stack used during a round, and how long its threads waited for a CPU, from Linux's
 * {@code /proc}: {@code stat} (user and system time, in clock ticks of 1/100 s, dead threads included) and each live
 * thread's {@code schedstat} (time on a CPU and time runnable in a run queue, in ns). On two cores the bench's p99
 * follows the CPU the whole stack spends per rotation more than any one service's latency; the run-queue wait says
 * whether the machine was saturated. Where {@code /proc} cannot be read (not Linux, a process gone), it says so.
 */
final class ProcessCpu {
    /** USER_HZ: 100 on every Linux architecture Rotor runs on. */
    private static final double TICKS_PER_SECOND = 100.0;

    static final String POSTGRES = "postgres";

    private final Map<String, Long> pids;
    private final boolean postgres;
    private final Path proc;

    /**
     * @param postgres also count, as {@value #POSTGRES}, every process of this machine named {@code postgres} (the
     *     server and its backends, which are not children the JVM could count, local or outside the stack)
     */
    ProcessCpu(Map<String, Long> pids, boolean postgres) {
        this(pids, postgres, Path.of("/proc"));
    }

    ProcessCpu(Map<String, Long> pids, boolean postgres, Path proc) {
        this.pids = new LinkedHashMap<>(pids);
        this.postgres = postgres;
        this.proc = proc;
    }

    /** Per process: CPU seconds and run-queue wait seconds so far; absent where it cannot be read. */
    record Usage(double cpuSeconds, double runQueueSeconds) {
    }

    Map<String, Usage> snapshot() {
        Map<String, Usage> usage = new LinkedHashMap<>();
        pids.forEach((name, pid) -> {
            try {
                usage.put(name, new Usage(cpuSeconds(Files.readString(proc.resolve(pid + "/stat"))),
                        runQueueSeconds(proc.resolve(pid + "/task"))));
            } catch (IOException | RuntimeException e) {
                // not readable: left out, and the report names it
            }
        });
        if (postgres) {
            postgres().ifPresent(u -> usage.put(POSTGRES, u));
        }
        return usage;
    }

    /** The sum over every process named {@code postgres}; empty when there is none (an outside, remote server). */
    private Optional<Usage> postgres() {
        double cpu = 0;
        double waited = 0;
        boolean any = false;
        try (Stream<Path> all = Files.list(proc)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (!p.getFileName().toString().chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    if (!stat.contains("(" + POSTGRES + ")")) {
                        continue;
                    }
                    cpu += cpuSeconds(stat);
                    waited += runQueueSeconds(p.resolve("task"));
                    any = true;
                } catch (IOException | RuntimeException e) {
                    // gone meanwhile
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return any ? Optional.of(new Usage(cpu, waited)) : Optional.empty();
    }

    /** utime + stime of a {@code /proc/PID/stat} line; the command name may hold spaces and parentheses. */
    static double cpuSeconds(String stat) {
        String[] after = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        // after[0] is field 3 (state), so utime (field 14) and stime (field 15) are after[11] and after[12].
        return (Long.parseLong(after[11]) + Long.parseLong(after[12])) / TICKS_PER_SECOND;
    }

    /** The sum over the live threads of the second field of their {@code schedstat}: ns runnable but not running. */
    static double runQueueSeconds(Path tasks) throws IOException {
        long waited = 0;
        try (Stream<Path> threads = Files.list(tasks)) {
            for (Path thread : (Iterable<Path>) threads::iterator) {
                try {
                    waited += Long.parseLong(Files.readString(thread.resolve("schedstat")).trim().split(" ")[1]);
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            }
        }
        return waited / 1e9;
    }

    /** Two lines: CPU per process and per rotation, and the run-queue wait, between two snapshots. */
    String report(Map<String, Usage> before, Map<String, Usage> after, double wallSeconds, int rotations) {
        if (pids.isEmpty() && !postgres) {
            return "CPU: not measured (no process ids given)";
        }
        StringJoiner cpu = new StringJoiner(", ");
        StringJoiner waits = new StringJoiner(", ");
        double total = 0;
        Set<String> names = new LinkedHashSet<>(pids.keySet());
        if (postgres) {
            names.add(POSTGRES);
        }
        for (String name : names) {
            Usage a = before.get(name);
            Usage b = after.get(name);
            if (a == null || b == null) {
                cpu.add(name + (name.equals(POSTGRES) && postgres ? " not on this machine" : " unreadable"));
                continue;
            }
            double used = b.cpuSeconds() - a.cpuSeconds();
            total += used;
            cpu.add(String.format("%s %.1f", name, used));
            waits.add(String.format("%s %.1f", name, b.runQueueSeconds() - a.runQueueSeconds()));
        }
        return String.format("CPU during the measured round (s): %s; total %.1f s = %.1f ms per rotation,"
                + " %.2f of %d cores over %.1f s%n"
                + "waiting for a CPU meanwhile (s, run queue, live threads): %s", cpu, total,
                1000 * total / rotations, total / wallSeconds, Runtime.getRuntime().availableProcessors(),
                wallSeconds, waits);
    }
}

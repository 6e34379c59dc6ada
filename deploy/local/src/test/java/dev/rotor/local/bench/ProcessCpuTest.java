package dev.rotor.local.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessCpuTest {
    @TempDir
    Path proc;

    @Test
    void readsUserAndSystemTimeAfterACommandNameWithSpacesAndParentheses() {
        String stat = "4242 (a (weird) name) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 75 0 0 20 0 30 0 17 0";
        assertThat(ProcessCpu.cpuSeconds(stat)).isCloseTo(3.25, within(1e-9));
    }

    @Test
    void measuresEachProcessAndEveryPostgresProcessBetweenTwoSnapshots() throws IOException {
        process(10, "java", 100, 20, 1_000_000_000L, 500_000_000L);
        process(20, "postgres", 10, 0, 0, 0);
        process(21, "postgres", 5, 5, 0, 250_000_000L);
        process(30, "bash", 999, 999, 9_000_000_000L, 9_000_000_000L);
        ProcessCpu cpu = new ProcessCpu(Map.of("orchestrator", 10L, "gone", 99L), true, proc);
        Map<String, ProcessCpu.Usage> before = cpu.snapshot();
        assertThat(before).containsOnlyKeys("orchestrator", "postgres");
        assertThat(before.get("postgres").cpuSeconds()).isCloseTo(0.20, within(1e-9));

        process(10, "java", 300, 70, 1_000_000_000L, 2_500_000_000L);
        process(21, "postgres", 55, 5, 0, 1_250_000_000L);
        String report = cpu.report(before, cpu.snapshot(), 10.0, 50);

        // orchestrator: 2.5 s of CPU and 2 s in the run queue; postgres: 0.5 s and 1 s; 3 s in all, 60 ms per rotation
        assertThat(report).contains("orchestrator 2.5", "gone unreadable", "postgres 0.5", "total 3.0 s = 60.0 ms per"
                + " rotation", "0.30 of", "over 10.0 s", "(s, run queue, live threads): orchestrator 2.0, postgres 1.0");
    }

    @Test
    void saysWhenThereIsNoLocalPostgres() throws IOException {
        process(10, "java", 1, 1, 0, 0);
        ProcessCpu cpu = new ProcessCpu(Map.of("kafka", 10L), true, proc);
        assertThat(cpu.report(cpu.snapshot(), cpu.snapshot(), 1.0, 1)).contains("kafka 0.0", "postgres not on this"
                + " machine");
    }

    private void process(int pid, String comm, long utime, long stime, long runNanos, long waitNanos)
            throws IOException {
        Path dir = Files.createDirectories(proc.resolve(Integer.toString(pid)).resolve("task")
                .resolve(Integer.toString(pid)));
        Files.writeString(proc.resolve(pid + "/stat"), pid + " (" + comm + ") S 1 1 1 0 -1 0 0 0 0 0 " + utime + " "
                + stime + " 0 0 20 0 1 0 1 0");
        Files.writeString(dir.resolve("schedstat"), runNanos + " " + waitNanos + " 7\n");
    }
}

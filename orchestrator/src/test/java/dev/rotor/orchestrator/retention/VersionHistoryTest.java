package dev.rotor.orchestrator.retention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.orchestrator.retention.VersionHistory.Rotation;
import dev.rotor.orchestrator.retention.VersionHistory.StepRow;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Versions and labels derived from rotations: created, promoted, kept as previous, retired; rollbacks leave none. */
class VersionHistoryTest {
    private static final Instant T = Instant.parse("2025-01-01T00:00:00Z");

    private static Instant t(int s) {
        return T.plusSeconds(s);
    }

    private static StepRow ok(String step, int at) {
        return new StepRow(step, "FORWARD", "SUCCEEDED", t(at));
    }

    @Test
    void dualKeyThenImmediateThenARolledBackRotation() {
        List<VersionHistory.Version> versions = VersionHistory.of(List.of(
                new Rotation("dual-key", 1, 2, t(0), List.of(ok("STAGE_SECRET", 1), ok("UPDATE_SECRET", 2),
                        ok("RETIRE_PREVIOUS", 10))),
                new Rotation("immediate", 2, 3, t(5), List.of(ok("STAGE_SECRET", 6), ok("UPDATE_SECRET", 7))),
                new Rotation("dual-key", 3, 4, t(20), List.of(ok("STAGE_SECRET", 21),
                        new StepRow("UPDATE_SECRET", "FORWARD", "FAILED", t(22)),
                        new StepRow("UPDATE_SECRET", "COMPENSATE", "COMPENSATED", t(23)),
                        new StepRow("STAGE_SECRET", "COMPENSATE", "COMPENSATED", t(24))))));
        assertThat(versions).extracting(VersionHistory.Version::version).containsExactly(1, 2, 3);
        assertThat(versions).extracting(VersionHistory.Version::label)
                .containsExactly("retired", "retired", "current");
        assertThat(versions.get(0).createdAt()).as("adopted before Rotor").isNull();
        assertThat(versions.get(0).retiredAt()).isEqualTo(t(10));
        assertThat(versions.get(1).createdAt()).isEqualTo(t(1));
        assertThat(versions.get(1).promotedAt()).isEqualTo(t(2));
        assertThat(versions.get(1).retiredAt()).as("immediate drops it at update").isEqualTo(t(7));
        assertThat(versions.get(2).promotedAt()).isEqualTo(t(7));
    }

    @Test
    void anActiveRotationShowsItsPendingVersion() {
        List<VersionHistory.Version> versions = VersionHistory.of(List.of(
                new Rotation("online-reencrypt", 1, 2, t(0), List.of(ok("STAGE_SECRET", 1)))));
        assertThat(versions).extracting(VersionHistory.Version::label).containsExactly("current", "pending");
    }

    @Test
    void aRollbackMakesTheOldVersionCurrentAgainAndTheNewOnePending() {
        List<VersionHistory.Version> versions = VersionHistory.of(List.of(
                new Rotation("offline-reencrypt", 1, 2, t(0), List.of(ok("STAGE_SECRET", 1), ok("REENCRYPT", 2),
                        ok("UPDATE_SECRET", 3))),
                new Rotation("offline-reencrypt", 1, 2, t(10), List.of(ok("REENCRYPT", 11),
                        ok("UPDATE_SECRET", 12)), true)));
        assertThat(versions).extracting(VersionHistory.Version::label).containsExactly("current", "pending");
        assertThat(versions.get(1).promotedAt()).isNull();
    }
}

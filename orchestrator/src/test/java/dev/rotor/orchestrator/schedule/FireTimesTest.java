package dev.rotor.orchestrator.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.orchestrator.catalog.CronSchedule;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FireTimesTest {
    // Quarterly: the 2nd Thursday of Jan/Apr/Jul/Oct at 02:00 UTC (design §5).
    private final CronSchedule quarterly = CronSchedule.parse("0 0 2 ? 1,4,7,10 THU#2");

    @Test
    void quartzSyntaxEvaluatedInUtc() {
        assertThat(quarterly.next(Instant.parse("2025-01-01T00:00:00Z")))
                .contains(Instant.parse("2025-01-09T02:00:00Z"));
        assertThat(CronSchedule.problem("0 0 2 * * * *")).isPresent();
        assertThat(CronSchedule.problem("not a cron")).get().asString().contains("not a cron");
    }

    @Test
    void aMissedFireTimeRunsOnceOnlyInsideItsWindow() {
        Instant fired = Instant.parse("2025-01-09T02:00:00Z");
        assertThat(FireTimes.catchUp(quarterly, Duration.ofHours(4), fired.plus(Duration.ofHours(3))))
                .contains(fired);
        assertThat(FireTimes.catchUp(quarterly, Duration.ofHours(4), fired.plus(Duration.ofHours(5)))).isEmpty();
        assertThat(FireTimes.catchUp(quarterly, null, fired.plusSeconds(60))).as("no window, no catch-up").isEmpty();
    }

    @Test
    void dueListsFireTimesBetweenCursorAndNow() {
        CronSchedule everyTenSeconds = CronSchedule.parse("0/10 * * * * ?");
        Instant t = Instant.parse("2025-01-01T00:00:05Z");
        assertThat(FireTimes.due(everyTenSeconds, t, t.plusSeconds(21), 5)).containsExactly(
                Instant.parse("2025-01-01T00:00:10Z"), Instant.parse("2025-01-01T00:00:20Z"));
        assertThat(FireTimes.due(everyTenSeconds, t, t.plusSeconds(4), 5)).isEmpty();
    }
}

package dev.rotor.orchestrator.schedule;

import dev.rotor.orchestrator.catalog.CronSchedule;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which fire times of one cron schedule are due, given a cursor. Pure, so the catch-up rule is unit-tested: at
 * start-up only the last missed fire time counts, and only while still inside its window (no window = no catch-up).
 */
public final class FireTimes {
    private FireTimes() {
    }

    /** The missed fire time to run once at start-up, if any. */
    public static Optional<Instant> catchUp(CronSchedule cron, Duration window, Instant now) {
        if (window == null || window.isZero()) {
            return Optional.empty();
        }
        return cron.last(now).filter(last -> !last.plus(window).isBefore(now));
    }

    /** Fire times in (after, now], oldest first; at most {@code limit} so a tiny cron cannot flood. */
    public static List<Instant> due(CronSchedule cron, Instant after, Instant now, int limit) {
        List<Instant> due = new ArrayList<>();
        Instant cursor = after;
        while (due.size() < limit) {
            Optional<Instant> next = cron.next(cursor);
            if (next.isEmpty() || next.get().isAfter(now)) {
                break;
            }
            due.add(next.get());
            cursor = next.get();
        }
        return due;
    }
}

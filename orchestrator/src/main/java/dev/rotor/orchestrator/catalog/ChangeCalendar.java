package dev.rotor.orchestrator.catalog;

import dev.rotor.contracts.catalog.Durations;
import dev.rotor.contracts.catalog.FreezeSpec;
import dev.rotor.contracts.catalog.WindowSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * When rotations may start: the catalog's change freezes (fixed ranges, or a cron that starts one and a duration) and
 * an entry's allowed windows (a cron that opens one and a duration). Pure: every answer is for a given instant.
 */
public final class ChangeCalendar {
    /** How far ahead {@link #nextAllowed} looks before it gives up (a calendar that never allows anything). */
    public static final Duration HORIZON = Duration.ofDays(400);

    /** One freeze, active over [start, end). */
    public record Freeze(String reason, Instant start, Instant end) {
    }

    private interface Recurring {
        Optional<Freeze> at(Instant t);
    }

    private final List<Recurring> rules = new ArrayList<>();

    public ChangeCalendar(List<FreezeSpec> specs) {
        for (FreezeSpec f : specs) {
            if (f.from() != null) {
                Freeze fixed = new Freeze(f.reason(), Instant.parse(f.from()), Instant.parse(f.until()));
                rules.add(t -> !t.isBefore(fixed.start()) && t.isBefore(fixed.end()) ? Optional.of(fixed)
                        : Optional.empty());
            } else {
                CronSchedule cron = CronSchedule.parse(f.cron());
                Duration length = Durations.parse(f.duration());
                rules.add(t -> opened(cron, length, t).map(start -> new Freeze(f.reason(), start,
                        start.plus(length))));
            }
        }
    }

    /** The freeze in force at {@code t}, if any (the one that lasts longest when several overlap). */
    public Optional<Freeze> freezeAt(Instant t) {
        return rules.stream().map(r -> r.at(t)).flatMap(Optional::stream)
                .max(java.util.Comparator.comparing(Freeze::end));
    }

    /** Whether {@code t} is inside one of the windows; no windows means any time. */
    public static boolean inWindow(List<WindowSpec> windows, Instant t) {
        return windows.isEmpty() || windows.stream().anyMatch(w -> opened(CronSchedule.parse(w.cron()),
                Durations.parse(w.duration()), t).isPresent());
    }

    /**
     * The first instant at or after {@code t} outside every freeze and inside the windows, or empty when there is
     * none within {@link #HORIZON}.
     */
    public Optional<Instant> nextAllowed(List<WindowSpec> windows, Instant t) {
        Instant candidate = t;
        Instant limit = t.plus(HORIZON);
        while (candidate.isBefore(limit)) {
            Optional<Freeze> freeze = freezeAt(candidate);
            if (freeze.isPresent()) {
                candidate = freeze.get().end();
                continue;
            }
            if (inWindow(windows, candidate)) {
                return Optional.of(candidate);
            }
            Instant probe = candidate;
            Optional<Instant> opens = windows.stream()
                    .map(w -> CronSchedule.parse(w.cron()).next(probe)).flatMap(Optional::stream)
                    .min(Instant::compareTo);
            if (opens.isEmpty()) {
                return Optional.empty();
            }
            candidate = opens.get();
        }
        return Optional.empty();
    }

    /** The start of the occurrence of {@code cron} + {@code length} that contains {@code t}, if one does. */
    private static Optional<Instant> opened(CronSchedule cron, Duration length, Instant t) {
        // A fire time at t itself opens at t; otherwise the last one before t, if it is recent enough.
        Optional<Instant> at = cron.next(t.minusMillis(1)).filter(f -> f.equals(t));
        Optional<Instant> start = at.isPresent() ? at : cron.last(t);
        return start.filter(s -> t.isBefore(s.plus(length)));
    }
}

package dev.rotor.orchestrator.retention;

import dev.rotor.contracts.catalog.Strategy;
import dev.rotor.contracts.messages.Step;
import dev.rotor.orchestrator.saga.PlanStep;
import dev.rotor.orchestrator.saga.Plans;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A secret's versions as the orchestrator's own history tells them (secret-sync owns the store; this is what the
 * sagas did to it): a successful STAGE_SECRET created the pending version, a successful UPDATE_SECRET promoted it and
 * moved the old one to previous (or retired it at once when the plan keeps no previous), a successful RETIRE_PREVIOUS
 * retired it; a rollback's UPDATE_SECRET made the old version current again and the new one pending. Compensated
 * steps never happened as far as the labels go; dry runs are left out by the caller. A
 * version that was current before the orchestrator's first rotation (adopted or imported) has no creation time.
 */
public final class VersionHistory {
    private VersionHistory() {
    }

    /** One version with its label and when it was created, promoted and retired. */
    public record Version(int version, String label, Instant createdAt, Instant promotedAt, Instant retiredAt) {
    }

    /**
     * A rotation's part of the history: its versions and its step rows.
     *
     * @param rollback a rollback (trigger ROLLBACK): its versions are those of the rotation it undid
     */
    public record Rotation(String strategy, Integer fromVersion, Integer toVersion, Instant requestedAt,
            List<StepRow> steps, boolean rollback) {
        public Rotation(String strategy, Integer fromVersion, Integer toVersion, Instant requestedAt,
                List<StepRow> steps) {
            this(strategy, fromVersion, toVersion, requestedAt, steps, false);
        }
    }

    /** One step row: step, direction, status and when it finished. */
    public record StepRow(String step, String direction, String status, Instant finishedAt) {
    }

    private enum Kind { KNOWN, CREATED, PROMOTED, RETIRED, ROLLED_BACK }

    private record Event(Instant at, Kind kind, int version, Integer other, boolean keepPrevious) {
    }

    public static List<Version> of(List<Rotation> rotations) {
        List<Event> events = new ArrayList<>();
        for (Rotation r : rotations) {
            events(r, events);
        }
        events.sort(Comparator.comparing(Event::at).thenComparing(Event::kind));
        Map<Integer, Version> versions = new TreeMap<>();
        for (Event e : events) {
            Version v = versions.get(e.version());
            switch (e.kind()) {
                case KNOWN -> versions.putIfAbsent(e.version(), new Version(e.version(), "current", null, null, null));
                case CREATED -> versions.put(e.version(), new Version(e.version(), "pending", e.at(), null, null));
                case PROMOTED -> {
                    versions.put(e.version(), new Version(e.version(), "current", v == null ? null : v.createdAt(),
                            e.at(), null));
                    Version old = e.other() == null ? null : versions.get(e.other());
                    if (old != null) {
                        versions.put(old.version(), new Version(old.version(),
                                e.keepPrevious() ? "previous" : "retired", old.createdAt(), old.promotedAt(),
                                e.keepPrevious() ? null : e.at()));
                    }
                }
                case ROLLED_BACK -> {
                    Version back = e.other() == null ? null : versions.get(e.other());
                    if (back != null) {
                        versions.put(back.version(), new Version(back.version(), "current", back.createdAt(),
                                back.promotedAt(), null));
                    }
                    if (v != null) {
                        versions.put(v.version(), new Version(v.version(), "pending", v.createdAt(), null, null));
                    }
                }
                case RETIRED -> {
                    if (v != null) {
                        versions.put(v.version(), new Version(v.version(), "retired", v.createdAt(), v.promotedAt(),
                                e.at()));
                    }
                }
            }
        }
        return List.copyOf(versions.values());
    }

    private static void events(Rotation r, List<Event> out) {
        if (r.rollback()) {
            if (r.toVersion() != null) {
                done(r, Step.UPDATE_SECRET).ifPresent(at -> out.add(new Event(at, Kind.ROLLED_BACK, r.toVersion(),
                        r.fromVersion(), false)));
            }
            return;
        }
        if (r.fromVersion() != null) {
            out.add(new Event(r.requestedAt(), Kind.KNOWN, r.fromVersion(), null, false));
        }
        if (r.toVersion() == null) {
            return;
        }
        done(r, Step.STAGE_SECRET).ifPresent(at -> out.add(new Event(at, Kind.CREATED, r.toVersion(), null, false)));
        boolean keep = Plans.forStrategy(Strategy.fromCatalogName(r.strategy()))
                .flatMap(p -> p.step(Step.UPDATE_SECRET)).map(PlanStep::keepPrevious).orElse(false);
        done(r, Step.UPDATE_SECRET).ifPresent(at -> out.add(new Event(at, Kind.PROMOTED, r.toVersion(),
                r.fromVersion(), keep)));
        if (r.fromVersion() != null) {
            done(r, Step.RETIRE_PREVIOUS).ifPresent(at -> out.add(new Event(at, Kind.RETIRED, r.fromVersion(), null,
                    false)));
        }
    }

    /** When the step's forward succeeded, unless its compensation then undid it. */
    private static Optional<Instant> done(Rotation r, Step step) {
        boolean undone = r.steps().stream().anyMatch(s -> s.step().equals(step.name())
                && s.direction().equals("COMPENSATE") && s.status().equals("COMPENSATED"));
        if (undone) {
            return Optional.empty();
        }
        return r.steps().stream().filter(s -> s.step().equals(step.name()) && s.direction().equals("FORWARD")
                && s.status().equals("SUCCEEDED") && s.finishedAt() != null).map(StepRow::finishedAt).findFirst();
    }
}

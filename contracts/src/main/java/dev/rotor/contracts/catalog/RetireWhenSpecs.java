package dev.rotor.contracts.catalog;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates an entry's {@code retire-when}. Each problem names its field under {@code <entry>.retire-when}; values are
 * repeated only where they are the entry's own figures (percentages, durations), never a url.
 */
final class RetireWhenSpecs {
    private static final Set<Strategy> RETIRING = Set.of(Strategy.DUAL_KEY, Strategy.OFFLINE_REENCRYPT,
            Strategy.ONLINE_REENCRYPT, Strategy.ALTERNATING_USERS);
    private static final Pattern POINTER = Pattern.compile("(/[^/]+)+|[A-Za-z0-9_.-]+");

    private RetireWhenSpecs() {
    }

    static List<String> check(String entry, SecretEntry e) {
        RetireWhenSpec w = e.retireWhen();
        String at = entry + ".retire-when";
        List<String> problems = new ArrayList<>();
        if (e.strategy() != null && !RETIRING.contains(e.strategy())) {
            problems.add(at + ": the " + e.strategy().catalogName() + " strategy keeps no previous version to retire");
        }
        if (w.source() == null || !Set.of(RetireWhenSpec.PROMETHEUS, RetireWhenSpec.HTTP).contains(w.source())) {
            problems.add(at + ".source: required, http or prometheus");
        } else if (w.source().equals(RetireWhenSpec.PROMETHEUS)) {
            if (w.query() == null || w.query().isBlank()) {
                problems.add(at + ".query: required for source prometheus: a PromQL expression giving the share, 0 to 1");
            }
            if (w.url() != null || w.field() != null) {
                problems.add(at + ".url: not used by source prometheus (its server is"
                        + " rotor.orchestrator.retire-gate.prometheus-url); remove url and field");
            }
        } else {
            if (w.url() == null || !(w.url().startsWith("http://") || w.url().startsWith("https://"))) {
                problems.add(at + ".url: required for source http: the http(s) url that reports the share");
            }
            if (w.query() != null) {
                problems.add(at + ".query: not used by source http; remove it");
            }
            if (w.field() != null && !POINTER.matcher(w.field()).matches()) {
                problems.add(at + ".field: a field name or a JSON Pointer such as /keys/previousShare");
            }
        }
        Double maxShare = share(problems, at, "max-share", w.maxShare(), true);
        Double alertAbove = share(problems, at, "alert-above", w.alertAbove(), false);
        Duration holdFor = duration(problems, at, "for", w.holdFor());
        Duration maxGrace = duration(problems, at, "max-grace", w.maxGrace());
        Duration alertAfter = duration(problems, at, "alert-after", w.alertAfter());
        if (maxShare != null && alertAbove != null && alertAbove < maxShare) {
            problems.add(at + ".alert-above: " + w.alertAbove() + " is below max-share " + w.maxShare()
                    + "; the alert must be at or above the share that allows retirement");
        }
        if (w.alertAfter() != null && w.alertAbove() == null) {
            problems.add(at + ".alert-after: given without alert-above");
        }
        Duration grace = graceOf(e);
        Duration bound = w.maxGrace() == null ? w.maxGraceDuration() : maxGrace;
        if (grace != null && bound != null && bound.compareTo(grace) < 0) {
            problems.add(at + ".max-grace: " + (w.maxGrace() == null ? RetireWhenSpec.DEFAULT_MAX_GRACE
                    + " (the default)" : w.maxGrace()) + " is shorter than the entry's grace"
                    + "; the gate only starts once the grace has passed");
        }
        if (bound != null && alertAfter != null && alertAfter.compareTo(bound) > 0) {
            problems.add(at + ".alert-after: " + w.alertAfter() + " is after max-grace, where the version is"
                    + " retired anyway");
        }
        if (holdFor != null && holdFor.isNegative()) {
            problems.add(at + ".for: must not be negative");
        }
        return problems;
    }

    private static Duration graceOf(SecretEntry e) {
        try {
            return e.graceDuration();
        } catch (IllegalArgumentException ex) {
            return null; // refused as grace already
        }
    }

    private static Double share(List<String> problems, String at, String field, String value, boolean required) {
        if (value == null) {
            if (required) {
                problems.add(at + "." + field + ": required, a percentage such as 5%");
            }
            return null;
        }
        try {
            return RetireWhenSpec.Shares.parse(value);
        } catch (IllegalArgumentException ex) {
            problems.add(at + "." + field + ": " + ex.getMessage());
            return null;
        }
    }

    private static Duration duration(List<String> problems, String at, String field, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException ex) {
            problems.add(at + "." + field + ": " + ex.getMessage());
            return null;
        }
    }
}

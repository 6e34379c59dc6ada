package dev.rotor.contracts.catalog;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates an entry's {@code rollout} and the {@code wave} of its reloaders. Each problem names its field under
 * {@code <entry>.rollout}; a url is never repeated.
 */
final class RolloutSpecs {
    /** The gate runs as one orchestrator step attempt, bounded by the long step timeout (2 h): leave it room. */
    static final Duration MAX_GATE = Duration.ofMinutes(110);
    private static final Pattern POINTER = Pattern.compile("(/[^/]+)+|[A-Za-z0-9_.-]+");

    private RolloutSpecs() {
    }

    static List<String> check(String entry, SecretEntry e) {
        List<String> problems = new ArrayList<>();
        RolloutSpec r = e.rollout();
        String at = entry + ".rollout";
        if (r == null) {
            for (int i = 0; i < e.reload().size(); i++) {
                if (e.reload().get(i) != null && e.reload().get(i).wave() != null) {
                    problems.add(entry + ".reload[" + i + "].wave: only for an entry with rollout");
                }
            }
            return problems;
        }
        if (e.strategy() != null && e.strategy() != Strategy.DUAL_KEY) {
            problems.add(at + ": needs strategy dual-key (the targets not reached yet keep working on the previous"
                    + " version), not " + e.strategy().catalogName());
        }
        waves(problems, at, r.waves(), e.targets().size());
        for (int i = 0; i < e.reload().size(); i++) {
            Integer wave = e.reload().get(i) == null ? null : e.reload().get(i).wave();
            if (wave != null && (wave < 1 || wave > r.waves().size())) {
                problems.add(entry + ".reload[" + i + "].wave: " + wave + " is not a wave of rollout.waves (1 to "
                        + r.waves().size() + ")");
            }
        }
        if (r.gate() == null) {
            problems.add(at + ".gate: required: the check each wave must pass before the next starts");
        } else {
            gate(problems, at + ".gate", r.gate());
        }
        return problems;
    }

    private static void waves(List<String> problems, String at, List<String> waves, int targets) {
        if (waves.isEmpty()) {
            problems.add(at + ".waves: required, ascending percentages of the targets ending with 100%, such as"
                    + " [10%, 50%, 100%]");
            return;
        }
        int before = 0;
        for (int i = 0; i < waves.size(); i++) {
            double share;
            try {
                share = RetireWhenSpec.Shares.parse(waves.get(i));
            } catch (IllegalArgumentException ex) {
                problems.add(at + ".waves[" + i + "]: " + ex.getMessage());
                return;
            }
            int reach = (int) Math.ceil(share * targets - 1e-9);
            if (reach <= before) {
                problems.add(at + ".waves[" + i + "]: " + waves.get(i) + " of " + targets + " target(s) reaches "
                        + reach + ", no target beyond the wave before; each wave must add a target");
                return;
            }
            before = reach;
        }
        if (RetireWhenSpec.Shares.parse(waves.get(waves.size() - 1)) != 1.0) {
            problems.add(at + ".waves[" + (waves.size() - 1) + "]: the last wave must be 100%");
        }
    }

    private static void gate(List<String> problems, String at, RolloutSpec.Gate g) {
        if (g.source() == null || !Set.of(RetireWhenSpec.PROMETHEUS, RetireWhenSpec.HTTP).contains(g.source())) {
            problems.add(at + ".source: required, http or prometheus");
        } else if (g.source().equals(RetireWhenSpec.PROMETHEUS)) {
            if (g.query() == null || g.query().isBlank()) {
                problems.add(at + ".query: required for source prometheus: a PromQL expression giving a value from"
                        + " 0 to 1, such as an error ratio");
            }
            if (g.url() != null || g.field() != null) {
                problems.add(at + ".url: not used by source prometheus (its server is"
                        + " rotor.orchestrator.retire-gate.prometheus-url); remove url and field");
            }
        } else {
            if (g.url() == null || !(g.url().startsWith("http://") || g.url().startsWith("https://"))) {
                problems.add(at + ".url: required for source http: the http(s) url that reports the value");
            }
            if (g.query() != null) {
                problems.add(at + ".query: not used by source http; remove it");
            }
            if (g.field() != null && !POINTER.matcher(g.field()).matches()) {
                problems.add(at + ".field: a field name or a JSON Pointer such as /errors/ratio");
            }
        }
        boolean relative = g.errorRate() != null;
        if (relative) {
            try {
                g.baselineFactor();
            } catch (IllegalArgumentException ex) {
                problems.add(at + ".error-rate: " + ex.getMessage());
            }
            boolean prometheus = RetireWhenSpec.PROMETHEUS.equals(g.source());
            String baseline = prometheus ? g.baselineQuery() : g.baselineUrl();
            if (baseline == null || baseline.isBlank() || (!prometheus && !(baseline.startsWith("http://")
                    || baseline.startsWith("https://")))) {
                problems.add(at + (prometheus ? ".baseline-query: required with error-rate for source prometheus: the"
                        + " same measure of the targets not yet rotated" : ".baseline-url: required with error-rate"
                        + " for source http: the http(s) url that reports the baseline"));
            }
            if (prometheus ? g.baselineUrl() != null : g.baselineQuery() != null) {
                problems.add(at + (prometheus ? ".baseline-url: not used by source prometheus; remove it"
                        : ".baseline-query: not used by source http; remove it"));
            }
        } else if (g.baselineQuery() != null || g.baselineUrl() != null) {
            problems.add(at + ".error-rate: required with a baseline, e.g. \"<= 2x baseline\"");
        }
        if (g.max() == null) {
            if (!relative) {
                problems.add(at + ".max: required, a percentage such as 2% (the highest value that passes), or"
                        + " error-rate relative to a baseline");
            }
        } else {
            try {
                RetireWhenSpec.Shares.parse(g.max());
            } catch (IllegalArgumentException ex) {
                problems.add(at + ".max: " + ex.getMessage());
            }
        }
        Duration holdFor = duration(problems, at, "for", g.holdFor());
        Duration timeout = duration(problems, at, "timeout", g.timeout());
        if (holdFor != null && timeout != null && timeout.compareTo(holdFor) < 0) {
            problems.add(at + ".timeout: " + g.timeout() + " is shorter than for " + g.holdFor()
                    + "; the gate could never pass");
        }
        if (holdFor != null && (timeout == null || timeout.compareTo(holdFor) >= 0)
                && g.timeoutDuration().compareTo(MAX_GATE) > 0) {
            problems.add(at + ".timeout: a wave's gate may wait at most 110m (" + (g.timeout() == null
                    ? "for + 10m by default" : g.timeout()) + " is longer)");
        }
    }

    private static Duration duration(List<String> problems, String at, String field, String value) {
        if (value == null) {
            return field.equals("for") ? Durations.parse(RolloutSpec.Gate.DEFAULT_FOR) : null;
        }
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException ex) {
            problems.add(at + "." + field + ": " + ex.getMessage());
            return null;
        }
    }
}

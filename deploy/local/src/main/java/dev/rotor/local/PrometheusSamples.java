package dev.rotor.local;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads sample values out of a {@code /q/metrics} scrape, for tests that assert a series' exact value. */
public final class PrometheusSamples {
    private PrometheusSamples() {
    }

    /**
     * The value of the first sample of {@code name} whose labels contain every one of {@code labels} (each written
     * {@code key="value"}). With tracing on, a sample may end with an OpenMetrics exemplar
     * ({@code # {trace_id=...} 1.0 ...}).
     *
     * @throws AssertionError when there is no such sample
     */
    public static double value(String metrics, String name, String... labels) {
        return find(metrics, name, labels).orElseThrow(() -> new AssertionError("no " + name + " with "
                + String.join(",", labels)));
    }

    /** As {@link #value}, but 0 when the series does not exist yet (a counter before its first increment). */
    public static double valueOrZero(String metrics, String name, String... labels) {
        return find(metrics, name, labels).orElse(0.0);
    }

    private static java.util.Optional<Double> find(String metrics, String name, String... labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)(?: # .*)?$")
                .matcher(metrics);
        while (m.find()) {
            String found = m.group(1);
            boolean all = true;
            for (String l : labels) {
                all &= found.contains(l);
            }
            if (all) {
                return java.util.Optional.of(Double.parseDouble(m.group(2)));
            }
        }
        return java.util.Optional.empty();
    }
}

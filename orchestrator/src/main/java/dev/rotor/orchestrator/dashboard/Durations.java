package dev.rotor.orchestrator.dashboard;

import java.time.Duration;

/** Short durations for people: "3d 4h", "12m 5s", "850 ms". */
final class Durations {
    private Durations() {
    }

    static String human(Duration d) {
        if (d == null) {
            return null;
        }
        if (d.isNegative()) {
            return "-" + human(d.negated());
        }
        if (d.toMillis() < 1000) {
            return d.toMillis() + " ms";
        }
        long s = d.toSeconds();
        if (s < 60) {
            return String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
        }
        if (s < 3600) {
            return (s / 60) + "m " + (s % 60) + "s";
        }
        if (s < 86_400) {
            return (s / 3600) + "h " + (s % 3600 / 60) + "m";
        }
        return (s / 86_400) + "d " + (s % 86_400 / 3600) + "h";
    }

    static String millis(Long ms) {
        return ms == null ? null : human(Duration.ofMillis(ms));
    }
}

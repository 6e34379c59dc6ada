package dev.rotor.sync.steps;

import dev.rotor.sync.target.SecretTarget;
import dev.rotor.sync.target.LineChange;
import java.util.ArrayList;
import java.util.List;

/** The line changes decided under the store lock, applied to the files after the store change is durable. */
final class TargetPlan {
    private record Entry(SecretTarget target, LineChange current, LineChange previous) {
    }

    private final List<Entry> entries = new ArrayList<>();

    TargetPlan add(SecretTarget target, LineChange current, LineChange previous) {
        entries.add(new Entry(target, current, previous));
        return this;
    }

    void apply() {
        entries.forEach(e -> e.target().write(e.current(), e.previous()));
    }

    static String variableKey(int index) {
        return index + ".variable";
    }

    static String previousKey(int index) {
        return index + ".previous";
    }

    static String versionKey(int version) {
        return "version." + version;
    }
}

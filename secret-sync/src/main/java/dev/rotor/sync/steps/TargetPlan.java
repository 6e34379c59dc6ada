package dev.rotor.sync.steps;

import dev.rotor.sync.target.SecretTarget;
import dev.rotor.sync.target.LineChange;
import java.util.ArrayList;
import java.util.List;

/** The line changes decided under the store lock, applied to the files after the store change is durable. */
final class TargetPlan {
    private record Entry(SecretTarget target, LineChange current, LineChange previous, LineChange user) {
    }

    private final List<Entry> entries = new ArrayList<>();

    TargetPlan add(SecretTarget target, LineChange current, LineChange previous) {
        return add(target, current, previous, LineChange.keep());
    }

    TargetPlan add(SecretTarget target, LineChange current, LineChange previous, LineChange user) {
        entries.add(new Entry(target, current, previous, user));
        return this;
    }

    /**
     * Writes every target that has something to change. A target with nothing to change is not even read: a
     * compensation of an UPDATE that failed before touching a broken target must not fail on that target again.
     */
    void apply() {
        entries.stream().filter(e -> !e.current().isKeep() || !e.previous().isKeep() || !e.user().isKeep())
                .forEach(e -> e.target().write(e.current(), e.previous(), e.user()));
    }

    static String variableKey(int index) {
        return index + ".variable";
    }

    static String previousKey(int index) {
        return index + ".previous";
    }

    static String userKey(int index) {
        return index + ".user";
    }

    static String versionKey(int version) {
        return "version." + version;
    }
}

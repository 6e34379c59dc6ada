package dev.rotor.local;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns the embedded broker's ~1,300 INFO lines per JVM down to warnings.
 *
 * <p>Why both mechanisms: Kafka 4.x logs through slf4j, and what sits behind slf4j differs by caller. Under
 * Quarkus tests it is jboss-logmanager, which honours {@code java.util.logging} levels; JUL keeps loggers only
 * weakly, so the configured loggers are held in a static list or the level silently resets after a GC. In the
 * standalone launcher it is slf4j-simple, which reads its levels from system properties once, when it
 * initialises, so {@link #apply()} must run before anything logs. User-set properties are never overwritten.
 */
public final class QuietLogs {

    /** Logger names that carry the broker's noise. */
    static final List<String> NOISY = List.of("kafka", "org.apache.kafka", "state.change.logger",
            "io.zonky.test.db.postgres");

    /** Strong references: JUL would otherwise drop the loggers (and their levels) on the next GC. */
    private static final List<Logger> HELD = NOISY.stream().map(Logger::getLogger).toList();

    private QuietLogs() {
    }

    static {
        for (String name : NOISY) {
            String key = "org.slf4j.simpleLogger.log." + name;
            if (System.getProperty(key) == null) {
                System.setProperty(key, "warn");
            }
        }
        for (Logger logger : HELD) {
            logger.setLevel(Level.WARNING);
        }
    }

    /** Idempotent; the work happens once, in the static initialiser. */
    public static void apply() {
        // class initialisation did it
    }
}

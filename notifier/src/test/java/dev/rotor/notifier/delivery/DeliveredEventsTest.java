package dev.rotor.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The durable redelivery guard: what a new process over the same directory still knows. */
class DeliveredEventsTest {
    private static final Duration RETENTION = Duration.ofDays(30);
    private static final UUID ROTATION = UUID.fromString("0b7e6a52-8d6f-4c57-9a1e-3f4c2d1b0a99");

    @TempDir
    Path home;

    @Test
    void remembersPerEventAndChannelAcrossARestart() {
        try (DeliveryLog log = open(clockAt("2026-01-08T02:00:00Z"))) {
            var seen = new DeliveredEvents(log);
            assertThat(seen.firstTime("e1", "slack", false)).isTrue();
            assertThat(seen.firstTime("e1", "slack", false)).isFalse();
            assertThat(seen.firstTime("e1", "hook", false)).isTrue();
            seen.delivered("e1", "slack");
            seen.delivered("e1", "hook");
            seen.memory("slack").put(ROTATION, "C0ROTOR 1700000000.000100");
        }
        try (DeliveryLog log = open(clockAt("2026-01-09T02:00:00Z"))) {
            var seen = new DeliveredEvents(log);
            assertThat(seen.firstTime("e1", "slack", false)).isFalse();
            assertThat(seen.firstTime("e1", "hook", true)).isFalse();
            assertThat(seen.firstTime("e2", "slack", false)).isTrue();
            assertThat(seen.memory("slack").get(ROTATION)).contains("C0ROTOR 1700000000.000100");
            assertThat(seen.memory("hook").get(ROTATION)).isEmpty();
        }
    }

    @Test
    void aGivenUpDeliveryMayBeTriedAgainAfterARestartToo() {
        try (DeliveryLog log = open(clockAt("2026-01-08T02:00:00Z"))) {
            var seen = new DeliveredEvents(log);
            seen.firstTime("e1", "slack", false);
            seen.forget("e1", "slack");
            assertThat(seen.firstTime("e1", "slack", false)).isTrue();
            seen.forget("e1", "slack");
        }
        try (DeliveryLog log = open(clockAt("2026-01-08T02:00:01Z"))) {
            assertThat(new DeliveredEvents(log).firstTime("e1", "slack", false)).isTrue();
        }
    }

    @Test
    void aDeliveryCutShortByAStopIsResentOnlyWhereRepeatsAreHarmless() {
        try (DeliveryLog log = open(clockAt("2026-01-08T02:00:00Z"))) {
            var seen = new DeliveredEvents(log);
            seen.firstTime("e1", "slack", false); // claimed, then the process stops mid-delivery
            seen.firstTime("e1", "pagerduty", true);
        }
        try (DeliveryLog log = open(clockAt("2026-01-08T02:00:05Z"))) {
            var seen = new DeliveredEvents(log);
            assertThat(seen.firstTime("e1", "slack", false)).isFalse();
            assertThat(seen.firstTime("e1", "pagerduty", true)).isTrue();
            assertThat(seen.firstTime("e1", "pagerduty", true)).isFalse();
        }
    }

    @Test
    void factsOlderThanTheRetentionAreDroppedAndTheFileCompacted() throws Exception {
        try (DeliveryLog log = open(clockAt("2026-01-01T00:00:00Z"))) {
            var seen = new DeliveredEvents(log);
            seen.firstTime("old", "slack", false);
            seen.delivered("old", "slack");
            seen.memory("slack").put(ROTATION, "C0ROTOR 1.1");
        }
        try (DeliveryLog log = open(clockAt("2026-01-30T00:00:00Z"))) {
            var seen = new DeliveredEvents(log);
            seen.firstTime("recent", "slack", false);
            seen.delivered("recent", "slack");
        }
        try (DeliveryLog log = open(clockAt("2026-02-01T00:00:00Z"))) {
            // Compacted at open: one line per live fact, the January 1st ones gone.
            assertThat(log.lines()).containsExactly(Instant.parse("2026-01-30T00:00:00Z").toEpochMilli()
                    + " D slack recent");
            var seen = new DeliveredEvents(log);
            assertThat(seen.firstTime("old", "slack", false)).isTrue();
            assertThat(seen.firstTime("recent", "slack", false)).isFalse();
            assertThat(seen.memory("slack").get(ROTATION)).isEmpty();
        }
    }

    @Test
    void aTornLastLineIsSkippedAndFieldsWithSpacesSurvive() throws Exception {
        try (DeliveryLog log = open(clockAt("2026-01-08T02:00:00Z"))) {
            var seen = new DeliveredEvents(log);
            seen.firstTime("e 1", "team chat", false);
            seen.delivered("e 1", "team chat");
        }
        Files.writeString(home.resolve("delivered.log"), "17000000", java.nio.file.StandardOpenOption.APPEND);
        try (DeliveryLog log = open(clockAt("2026-01-08T02:00:01Z"))) {
            assertThat(new DeliveredEvents(log).firstTime("e 1", "team chat", false)).isFalse();
        }
    }

    @Test
    void oneProcessPerDirectory() {
        try (DeliveryLog first = open(clockAt("2026-01-08T02:00:00Z"))) {
            assertThatThrownBy(() -> open(clockAt("2026-01-08T02:00:00Z")))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("delivered.lock is locked); give each notifier its own ROTOR_HOME");
        }
    }

    private DeliveryLog open(Clock clock) {
        return DeliveryLog.open(home, RETENTION, clock);
    }

    private static Clock clockAt(String instant) {
        return Clock.fixed(Instant.parse(instant), ZoneOffset.UTC);
    }
}

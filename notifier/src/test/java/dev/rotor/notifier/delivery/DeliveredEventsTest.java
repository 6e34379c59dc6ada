package dev.rotor.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.contracts.messages.RotationCompleted;
import dev.rotor.contracts.messages.Trigger;
import dev.rotor.notifier.channel.Notification;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The redelivery guard on a real PostgreSQL, as two replicas (two owners) share it. */
class DeliveredEventsTest {
    private static final Duration RETENTION = Duration.ofDays(30);
    private static final UUID ROTATION = UUID.fromString("0b7e6a52-8d6f-4c57-9a1e-3f4c2d1b0a99");
    private static final Instant AT = Instant.parse("2026-01-08T02:00:00Z");

    private DataSource db;

    @BeforeEach
    void database() {
        db = NotifierDatabase.fresh("delivered");
    }

    @Test
    void oneReplicaWinsEachPairAndBothSeeItDelivered() {
        var a = replica("a", Duration.ofMinutes(1));
        var b = replica("b", Duration.ofMinutes(1));
        Notification e1 = notification("e1");
        assertThat(a.claim(e1, "slack")).isTrue();
        assertThat(b.claim(e1, "slack")).isFalse();
        assertThat(a.claim(e1, "slack")).isFalse();
        assertThat(b.claim(e1, "hook")).isTrue();
        a.delivered("e1", "slack");
        b.delivered("e1", "hook");
        a.memory("slack").put(ROTATION, "C0ROTOR 1700000000.000100");
        // A new process (a restart) knows all of it.
        var c = replica("c", Duration.ofMinutes(1));
        assertThat(c.claim(e1, "slack")).isFalse();
        assertThat(c.claim(e1, "hook")).isFalse();
        assertThat(c.claim(notification("e2"), "slack")).isTrue();
        assertThat(c.memory("slack").get(ROTATION)).contains("C0ROTOR 1700000000.000100");
        assertThat(c.memory("hook").get(ROTATION)).isEmpty();
        // Nobody takes over a delivered pair, nor one whose lease still runs.
        assertThat(c.takeExpired(10)).isEmpty();
    }

    @Test
    void aGivenUpDeliveryMayBeTriedAgain() {
        var a = replica("a", Duration.ofMinutes(1));
        Notification e1 = notification("e1");
        a.claim(e1, "slack");
        a.forget("e1", "slack");
        assertThat(replica("b", Duration.ofMinutes(1)).claim(e1, "slack")).isTrue();
    }

    @Test
    void aClaimLeftByAStoppedReplicaIsTakenOverOnceWithItsMilestone() throws Exception {
        var stopped = replica("stopped", Duration.ofMillis(300));
        var live = replica("live", Duration.ofMillis(300));
        var other = replica("other", Duration.ofMillis(300));
        Notification e1 = notification("e1");
        assertThat(stopped.claim(e1, "slack")).isTrue(); // then the replica stops, mid-delivery
        assertThat(live.claim(notification("e2"), "hook")).isTrue();
        Thread.sleep(500);
        assertThat(live.renewLeases()).isEqualTo(1); // a live replica keeps its own claims
        var taken = other.takeExpired(10);
        assertThat(taken).singleElement().satisfies(claim -> {
            assertThat(claim.channel()).isEqualTo("slack");
            assertThat(claim.notification()).isEqualTo(e1);
        });
        // Taken over once: the new owner's lease runs now.
        assertThat(live.takeExpired(10)).isEmpty();
        other.delivered("e1", "slack");
        Thread.sleep(500);
        assertThat(live.renewLeases()).isEqualTo(1);
        // e1 delivered, e2 renewed by its live owner: nothing left to take over, and no claim of e1 again.
        assertThat(other.takeExpired(10)).isEmpty();
        assertThat(stopped.claim(e1, "slack")).isFalse();
    }

    @Test
    void pairsAndMemoriesOlderThanTheRetentionArePruned() throws Exception {
        var a = replica("a", Duration.ofMinutes(1));
        a.claim(notification("old"), "slack");
        a.delivered("old", "slack");
        a.memory("slack").put(ROTATION, "C0ROTOR 1.1");
        a.claim(notification("recent"), "slack");
        a.delivered("recent", "slack");
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE notifier.deliveries SET delivered_at = now() - interval '31 days' "
                    + "WHERE event_id = 'old'");
            s.executeUpdate("UPDATE notifier.rotation_memory SET updated_at = now() - interval '31 days'");
        }
        assertThat(a.prune()).isEqualTo(2);
        assertThat(a.claim(notification("old"), "slack")).isTrue();
        assertThat(a.claim(notification("recent"), "slack")).isFalse();
        assertThat(a.memory("slack").get(ROTATION)).isEmpty();
    }

    @Test
    void deliveriesRecordedSoonAreMarkedTogetherAndStayClaimedUntilThen() throws Exception {
        var a = replica("a", Duration.ofMinutes(1));
        for (int i = 0; i < DeliveredEvents.MARK_BATCH + 2; i++) {
            assertThat(a.claim(notification("e" + i), "slack")).isTrue();
            a.deliveredSoon("e" + i, "slack");
        }
        a.deliveredSoon("never-claimed", "slack");
        // Not marked yet: still this replica's claims, renewed by it and taken over by nobody.
        assertThat(a.renewLeases()).isEqualTo(DeliveredEvents.MARK_BATCH + 2);
        assertThat(states()).containsOnlyKeys("CLAIMED");

        assertThat(a.flushDelivered()).isEqualTo(DeliveredEvents.MARK_BATCH + 2);
        assertThat(states()).containsExactly(java.util.Map.entry("DELIVERED", DeliveredEvents.MARK_BATCH + 2));
        assertThat(a.flushDelivered()).isZero();
        assertThat(a.renewLeases()).isZero();
        assertThat(replica("b", Duration.ofMinutes(1)).claim(notification("e0"), "slack")).isFalse();
    }

    private java.util.Map<String, Integer> states() throws Exception {
        java.util.Map<String, Integer> states = new java.util.HashMap<>();
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
                var rs = s.executeQuery("SELECT state, count(*) FROM notifier.deliveries GROUP BY state")) {
            while (rs.next()) {
                states.put(rs.getString(1), rs.getInt(2));
            }
        }
        return states;
    }

    private DeliveredEvents replica(String owner, Duration lease) {
        return new DeliveredEvents(db, owner, lease, RETENTION);
    }

    private static Notification notification(String id) {
        return new Notification(new RotationCompleted(ROTATION, "jwt-secret", Trigger.MANUAL, "quarterly", 1, 2, AT),
                id, "/rotor/orchestrator", "2026-01-08T02:00:00Z");
    }
}

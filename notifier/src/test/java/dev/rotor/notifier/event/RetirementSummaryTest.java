package dev.rotor.notifier.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.contracts.messages.RetireDeferred;
import dev.rotor.contracts.messages.RetireOverdue;
import dev.rotor.contracts.messages.Trigger;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The usage gate's milestones are rendered like every other one (not dead-lettered), the overdue one as urgent. */
class RetirementSummaryTest {
    private static final UUID ROTATION = UUID.fromString("0b7e6a52-8d6f-4c57-9a1e-3f4c2d1b0a99");
    private static final Instant AT = Instant.parse("2026-01-08T02:00:00Z");

    @Test
    void aDeferredRetirementSaysTheShareAndTheBounds() {
        var e = new RetireDeferred(ROTATION, "jwt-secret", Trigger.MANUAL, null, 3, 0.125, 0.05,
                Instant.parse("2026-01-15T02:00:00Z"), "prometheus answered 0.125", AT);
        assertThat(e.urgent()).isFalse();
        assertThat(EventSummary.of(e)).isEqualTo(new EventSummary(
                "Retirement deferred: previous version still in use", ":hourglass:", "v3 previous", null,
                "share 12.5%, retired at or below 5%, at the latest 2026-01-15T02:00:00Z"));
    }

    @Test
    void anOverdueVersionIsUrgentAndSaysWhatHappensToIt() {
        var alert = new RetireOverdue(ROTATION, "jwt-secret", Trigger.MANUAL, null, 3, RetireOverdue.ALERT_ABOVE,
                0.2, 0.1, false, AT);
        assertThat(alert.urgent()).isTrue();
        assertThat(EventSummary.of(alert).detail()).isEqualTo("share 20%, above the alert threshold 10%; force it"
                + " with POST /api/rotations/0b7e6a52-8d6f-4c57-9a1e-3f4c2d1b0a99/retire");
        var maxGrace = new RetireOverdue(ROTATION, "jwt-secret", Trigger.MANUAL, null, 3, RetireOverdue.MAX_GRACE,
                null, 0.05, true, AT);
        assertThat(EventSummary.of(maxGrace)).isEqualTo(new EventSummary("Previous version still in use (max-grace)",
                ":rotating_light:", "v3 retiring", null,
                "share unknown; max-grace is over, so it is retired anyway: clients still using it will fail"));
    }
}

package dev.rotor.notifier.channel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.contracts.messages.RotationCompleted;
import dev.rotor.contracts.messages.RotationRequested;
import dev.rotor.contracts.messages.SecretStaged;
import dev.rotor.contracts.messages.Trigger;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class LogChannelTest {
    private static final UUID ROTATION = UUID.fromString("0b7e6a52-8d6f-4c57-9a1e-3f4c2d1b0a99");
    private static final Instant AT = Instant.parse("2026-01-08T02:00:00Z");

    @Test
    void oneLineWithSecretTypeTriggerReasonAndVersions() {
        var event = new RotationCompleted(ROTATION, "jwt-secret", Trigger.MANUAL, "quarterly", 1, 2, AT);
        assertThat(LogChannel.line("ops-log", new Notification(event, "id", "/rotor/orchestrator", "t")))
                .isEqualTo("rotation rotation-completed: secret=jwt-secret trigger=MANUAL reason=\"quarterly\" "
                        + "versions=v1 -> v2 rotation=0b7e6a52-8d6f-4c57-9a1e-3f4c2d1b0a99 channel=ops-log");
    }

    @Test
    void urgentLeadsAndTheReasonCannotBreakTheLine() {
        var event = new SecretStaged(ROTATION, "jwt-secret", Trigger.EMERGENCY, "leaked\nFAKE \"line\"", "local", 4,
                AT);
        assertThat(LogChannel.line("ops-log", new Notification(event, "id", "/rotor/orchestrator", "t")))
                .isEqualTo("URGENT rotation secret-staged: secret=jwt-secret trigger=EMERGENCY "
                        + "reason=\"leaked FAKE 'line'\" versions=v4 pending "
                        + "rotation=0b7e6a52-8d6f-4c57-9a1e-3f4c2d1b0a99 channel=ops-log");
    }

    @Test
    void theRequestShowsWhoAsked() {
        var event = new RotationRequested(ROTATION, "jwt-secret", Trigger.MANUAL, "quarterly", "dual-key", "alice", AT);
        assertThat(LogChannel.line("ops-log", new Notification(event, "id", "/rotor/orchestrator", "t")))
                .isEqualTo("rotation rotation-requested: secret=jwt-secret trigger=MANUAL reason=\"quarterly\" "
                        + "requestedBy=\"alice\" versions=- rotation=0b7e6a52-8d6f-4c57-9a1e-3f4c2d1b0a99 "
                        + "channel=ops-log");
    }
}

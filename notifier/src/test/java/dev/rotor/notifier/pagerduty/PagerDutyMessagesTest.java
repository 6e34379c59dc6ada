package dev.rotor.notifier.pagerduty;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotor.contracts.messages.CompensationStarted;
import dev.rotor.contracts.messages.PreviousRetired;
import dev.rotor.contracts.messages.RotationCompleted;
import dev.rotor.contracts.messages.RotationEvent;
import dev.rotor.contracts.messages.RotationFailed;
import dev.rotor.contracts.messages.RotationRequested;
import dev.rotor.contracts.messages.RotationRolledBack;
import dev.rotor.contracts.messages.SecretUpdated;
import dev.rotor.contracts.messages.Step;
import dev.rotor.contracts.messages.Trigger;
import dev.rotor.notifier.channel.HttpMessages.Request;
import dev.rotor.notifier.channel.Notification;
import dev.rotor.notifier.delivery.DeliveredEvents.RotationMemory;
import dev.rotor.notifier.event.Links;
import java.net.URI;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Which milestones page, at which severity, and that a resolve follows only a trigger. */
class PagerDutyMessagesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final UUID ROTATION = UUID.fromString("0b7e6a52-8d6f-4c57-9a1e-3f4c2d1b0a99");
    private static final Instant AT = Instant.parse("2026-01-08T02:00:00Z");

    private final Map<UUID, String> remembered = new HashMap<>();
    private final PagerDutyMessages messages = new PagerDutyMessages(URI.create("https://pd.example/v2/enqueue"),
            "key", new Links("https://rotor.example/"), new RotationMemory() {
                public Optional<String> get(UUID rotation) {
                    return Optional.ofNullable(remembered.get(rotation));
                }

                public void put(UUID rotation, String value) {
                    remembered.put(rotation, value);
                }
            });

    @Test
    void urgentMilestonesTriggerWithTheirSeverity() throws Exception {
        assertThat(page(new RotationRequested(ROTATION, "s", Trigger.EMERGENCY, "leak", "immediate", "a", AT)))
                .containsEntry("severity", "critical");
        assertThat(page(new CompensationStarted(ROTATION, "s", Trigger.EMERGENCY, "leak", Step.REENCRYPT, "x", AT)))
                .containsEntry("severity", "critical");
        assertThat(page(new CompensationStarted(ROTATION, "s", Trigger.MANUAL, null, Step.REENCRYPT, "x", AT)))
                .containsEntry("severity", "error");
        assertThat(page(new RotationRolledBack(ROTATION, "s", Trigger.SCHEDULED, null, Step.REENCRYPT, "x", AT)))
                .containsEntry("severity", "error");
        assertThat(page(new RotationFailed(ROTATION, "s", Trigger.SCHEDULED, null, "x", List.of("restore v1"), AT)))
                .containsEntry("severity", "critical").containsEntry("detail", "x\n1. restore v1");
    }

    @Test
    void otherMilestonesSayNothingAndOnlyAPagedRotationIsResolved() throws Exception {
        assertThat(render(new RotationRequested(ROTATION, "s", Trigger.MANUAL, null, "immediate", "a", AT))).isEmpty();
        assertThat(render(new SecretUpdated(ROTATION, "s", Trigger.EMERGENCY, "leak", 2, 1, AT))).isEmpty();
        assertThat(render(new PreviousRetired(ROTATION, "s", Trigger.EMERGENCY, "leak", 1, AT))).isEmpty();
        RotationCompleted completed = new RotationCompleted(ROTATION, "s", Trigger.EMERGENCY, "leak", 1, 2, AT);
        assertThat(render(completed)).isEmpty();

        Notification trigger = notification(new RotationRequested(ROTATION, "s", Trigger.EMERGENCY, "leak", "immediate",
                "a", AT));
        messages.render(trigger);
        messages.delivered(trigger, new byte[0]);
        assertThat(JSON.readTree(render(completed).orElseThrow().body())).isEqualTo(JSON.readTree(
                "{\"routing_key\":\"key\",\"event_action\":\"resolve\",\"dedup_key\":\"" + ROTATION + "\"}"));
        assertThat(messages.toString()).doesNotContain("key");
    }

    @Test
    void aPreviousVersionStillUsedPagesAndItsRetirementResolves() throws Exception {
        var overdue = new dev.rotor.contracts.messages.RetireOverdue(ROTATION, "s", Trigger.SCHEDULED, null, 1,
                "alert-above", 0.2, 0.1, false, AT);
        assertThat(page(overdue)).containsEntry("severity", "error");
        messages.delivered(notification(overdue), new byte[0]);
        assertThat(JSON.readTree(render(new PreviousRetired(ROTATION, "s", Trigger.SCHEDULED, null, 1, AT))
                .orElseThrow().body())).isEqualTo(JSON.readTree(
                "{\"routing_key\":\"key\",\"event_action\":\"resolve\",\"dedup_key\":\"" + ROTATION + "\"}"));
    }

    private Map<String, String> page(RotationEvent event) throws Exception {
        JsonNode body = JSON.readTree(render(event).orElseThrow().body());
        assertThat(body.get("event_action").asText()).isEqualTo("trigger");
        assertThat(body.get("dedup_key").asText()).isEqualTo(ROTATION.toString());
        assertThat(body.at("/links/1/href").asText()).isEqualTo("https://rotor.example/api/rotations/" + ROTATION
                + "/report");
        Map<String, String> facts = new HashMap<>();
        facts.put("severity", body.at("/payload/severity").asText());
        body.at("/payload/custom_details").fields().forEachRemaining(f -> facts.put(f.getKey(), f.getValue().asText()));
        return facts;
    }

    private Optional<Request> render(RotationEvent event) {
        return messages.render(notification(event));
    }

    private static Notification notification(RotationEvent event) {
        return new Notification(event, "id", "/rotor/orchestrator", "2026-01-08T02:00:00Z");
    }
}

package dev.rotor.notifier.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotor.contracts.messages.ApprovalRequested;
import dev.rotor.contracts.messages.CompensationStarted;
import dev.rotor.contracts.messages.RotationCompleted;
import dev.rotor.contracts.messages.SecretStaged;
import dev.rotor.contracts.messages.RotationRolledBack;
import dev.rotor.contracts.messages.SecretUpdated;
import dev.rotor.contracts.messages.Step;
import dev.rotor.contracts.messages.Trigger;
import dev.rotor.notifier.channel.Notification;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SlackMessageTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final UUID ROTATION = UUID.fromString("0b7e6a52-8d6f-4c57-9a1e-3f4c2d1b0a99");
    private static final Instant AT = Instant.parse("2026-01-08T02:00:00Z");

    @Test
    void showsSecretTriggerReasonStepVersionsAndState() throws Exception {
        var event = new SecretUpdated(ROTATION, "jwt-secret", Trigger.MANUAL, "quarterly <policy> & audit", 3, 2, AT);
        String json = new String(SlackMessage.of(new Notification(event, "id-1", "/rotor/orchestrator",
                "2026-01-08T02:00:01Z")).toJson());

        assertThat(JSON.readTree(json)).isEqualTo(JSON.readTree("""
                {"text": "Secret updated for jwt-secret (MANUAL): quarterly <policy> & audit",
                 "blocks": [
                  {"type": "section", "text": {"type": "mrkdwn",
                    "text": ":arrows_counterclockwise: *Secret updated* for `jwt-secret`"}},
                  {"type": "section", "fields": [
                    {"type": "mrkdwn", "text": "*Secret*\\n`jwt-secret`"},
                    {"type": "mrkdwn", "text": "*Trigger*\\nMANUAL"},
                    {"type": "mrkdwn", "text": "*Step*\\nsecret-updated"},
                    {"type": "mrkdwn", "text": "*Reason*\\nquarterly &lt;policy&gt; &amp; audit"},
                    {"type": "mrkdwn", "text": "*Versions*\\nv3 current, v2 previous"}]},
                  {"type": "context", "elements": [{"type": "mrkdwn",
                    "text": "rotation 0b7e6a52-8d6f-4c57-9a1e-3f4c2d1b0a99 · 2026-01-08T02:00:01Z"}]},
                  {"type": "actions", "block_id": "rotor-actions", "elements": [
                    {"type": "button", "action_id": "rotor-abort", "style": "danger",
                     "text": {"type": "plain_text", "text": "Abort", "emoji": true},
                     "value": "0b7e6a52-8d6f-4c57-9a1e-3f4c2d1b0a99",
                     "confirm": {"title": {"type": "plain_text", "text": "Abort this rotation?", "emoji": true},
                       "text": {"type": "mrkdwn",
                         "text": "The rotation of `jwt-secret` stops and its completed steps are undone."},
                       "confirm": {"type": "plain_text", "text": "Abort", "emoji": true},
                       "deny": {"type": "plain_text", "text": "Keep it running", "emoji": true},
                       "style": "danger"}}]}
                 ]}
                """));
    }

    @Test
    void aRelatedEntrysRotationSaysWhichRotationStartedIt() throws Exception {
        UUID parent = UUID.fromString("7d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d");
        var event = new RotationCompleted(ROTATION, "session-secret", Trigger.EMERGENCY, "related to jwt-secret", 1,
                2, AT, parent);
        String json = new String(SlackMessage.of(new Notification(event, "id-5", "/rotor/orchestrator",
                "2026-01-08T02:00:01Z")).toJson());

        assertThat(JSON.readTree(json)).isEqualTo(JSON.readTree("""
                {"text": "URGENT: Rotation completed for session-secret (EMERGENCY): related to jwt-secret",
                 "blocks": [
                  {"type": "header", "text": {"type": "plain_text", "text": ":rotating_light: URGENT", "emoji": true}},
                  {"type": "section", "text": {"type": "mrkdwn",
                    "text": ":white_check_mark: *Rotation completed* for `session-secret`"}},
                  {"type": "section", "fields": [
                    {"type": "mrkdwn", "text": "*Secret*\\n`session-secret`"},
                    {"type": "mrkdwn", "text": "*Trigger*\\nEMERGENCY"},
                    {"type": "mrkdwn", "text": "*Step*\\nrotation-completed"},
                    {"type": "mrkdwn", "text": "*Reason*\\nrelated to jwt-secret"},
                    {"type": "mrkdwn", "text": "*Versions*\\nv1 → v2"},
                    {"type": "mrkdwn", "text": "*Started by*\\nrotation `7d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d`"}]},
                  {"type": "context", "elements": [{"type": "mrkdwn",
                    "text": "rotation 0b7e6a52-8d6f-4c57-9a1e-3f4c2d1b0a99 · 2026-01-08T02:00:01Z"}]}
                 ]}
                """));
        // A rotation no cascade started has no such field.
        var alone = new RotationCompleted(ROTATION, "jwt-secret", Trigger.EMERGENCY, null, 1, 2, AT);
        assertThat(new String(SlackMessage.of(new Notification(alone, "id-6", "/rotor/orchestrator",
                "2026-01-08T02:00:01Z")).toJson())).doesNotContain("Started by");
    }

    @Test
    void aRotationAwaitingApprovalHasApproveAndAbortButtonsAndAnEndedOneNone() throws Exception {
        var asked = new ApprovalRequested(ROTATION, "jwt-secret", Trigger.MANUAL, null, "slack:U0LEAD", 1,
                List.of("approver"), AT.plusSeconds(3600), AT);
        JsonNode blocks = JSON.readTree(SlackMessage.of(new Notification(asked, "id-4", "/rotor/orchestrator",
                "2026-01-08T02:00:01Z")).toJson()).get("blocks");
        JsonNode actions = blocks.get(blocks.size() - 1);
        assertThat(actions.get("type").asText()).isEqualTo("actions");
        assertThat(actions.get("elements")).hasSize(2);
        assertThat(actions.get("elements").get(0)).isEqualTo(JSON.readTree("""
                {"type": "button", "action_id": "rotor-approve", "style": "primary",
                 "text": {"type": "plain_text", "text": "Approve", "emoji": true},
                 "value": "0b7e6a52-8d6f-4c57-9a1e-3f4c2d1b0a99"}"""));
        assertThat(actions.get("elements").get(1).get("action_id").asText()).isEqualTo("rotor-abort");

        var staged = new SecretStaged(ROTATION, "jwt-secret", Trigger.MANUAL, null, "local", 2, AT);
        assertThat(SlackMessage.buttons(staged)).extracting(b -> ((SlackMessage.Button) b).actionId())
                .containsExactly("rotor-abort");
        var compensating = new CompensationStarted(ROTATION, "jwt-secret", Trigger.MANUAL, null,
                Step.UPDATE_SECRET, "boom", AT);
        assertThat(SlackMessage.buttons(compensating)).isEmpty();
        var completed = new RotationCompleted(ROTATION, "jwt-secret", Trigger.MANUAL, null, 1, 2, AT);
        assertThat(SlackMessage.buttons(completed)).isEmpty();
        assertThat(JSON.readTree(SlackMessage.of(new Notification(completed, "id-5", "/rotor/orchestrator",
                "2026-01-08T02:00:01Z")).toJson()).findValues("action_id")).isEmpty();
    }

    @Test
    void urgentMilestoneStartsWithTheUrgentHeader() throws Exception {
        var event = new RotationRolledBack(ROTATION, "jwt-secret", Trigger.EMERGENCY, "leaked in git",
                Step.UPDATE_SECRET, "target /srv/app/.env.prod is not writable", AT);
        String json = new String(SlackMessage.of(new Notification(event, "id-2", "/rotor/orchestrator",
                "2026-01-08T02:00:05Z")).toJson());

        assertThat(JSON.readTree(json)).isEqualTo(JSON.readTree("""
                {"text": "URGENT: Rotation rolled back for jwt-secret (EMERGENCY): leaked in git",
                 "blocks": [
                  {"type": "header", "text": {"type": "plain_text", "text": ":rotating_light: URGENT", "emoji": true}},
                  {"type": "section", "text": {"type": "mrkdwn",
                    "text": ":leftwards_arrow_with_hook: *Rotation rolled back* for `jwt-secret`"}},
                  {"type": "section", "fields": [
                    {"type": "mrkdwn", "text": "*Secret*\\n`jwt-secret`"},
                    {"type": "mrkdwn", "text": "*Trigger*\\nEMERGENCY"},
                    {"type": "mrkdwn", "text": "*Step*\\nrotation-rolled-back (failed at UPDATE_SECRET)"},
                    {"type": "mrkdwn", "text": "*Reason*\\nleaked in git"}]},
                  {"type": "section", "text": {"type": "mrkdwn", "text": "target /srv/app/.env.prod is not writable"}},
                  {"type": "context", "elements": [{"type": "mrkdwn",
                    "text": "rotation 0b7e6a52-8d6f-4c57-9a1e-3f4c2d1b0a99 · 2026-01-08T02:00:05Z"}]}
                 ]}
                """));
    }

    @Test
    void aReasonLongerThanSlackAcceptsIsCutShortWithAnEllipsisNotDropped() throws Exception {
        String reason = "<".repeat(10) + "r".repeat(2990);
        String error = "e".repeat(3100);
        var event = new RotationRolledBack(ROTATION, "jwt-secret", Trigger.EMERGENCY, reason, Step.UPDATE_SECRET,
                error, AT);
        SlackMessage message = SlackMessage.of(new Notification(event, "id-3", "/rotor/orchestrator",
                "2026-01-08T02:00:05Z"));

        String shownReason = "*Reason*\n" + "&lt;".repeat(10) + "r".repeat(2000 - 9 - 40 - 1) + "…";
        assertThat(message.blocks().get(2).fields().get(3).text()).isEqualTo(shownReason).hasSize(2000);
        assertThat(message.blocks().get(3).text().text()).isEqualTo("e".repeat(2999) + "…");
        String fallback = "URGENT: Rotation rolled back for jwt-secret (EMERGENCY): " + reason;
        assertThat(message.text()).isEqualTo(fallback.substring(0, 2999) + "…");
        assertThat(JSON.readTree(message.toJson()).at("/blocks/2/fields/3/text").asText()).isEqualTo(shownReason);
    }

    @Test
    void anEscapeIsNeverCutInHalf() {
        assertThat(SlackMessage.escapeWithin("ab&cd", 6)).isEqualTo("ab…");
        assertThat(SlackMessage.escapeWithin("ab&cd", 8)).isEqualTo("ab&amp;…");
        assertThat(SlackMessage.escapeWithin("ab&cd", 9)).isEqualTo("ab&amp;cd");
    }
}

package dev.rotor.notifier.slack;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotor.contracts.json.RotorJson;
import dev.rotor.contracts.messages.RotationEvent;
import dev.rotor.notifier.channel.Notification;
import dev.rotor.notifier.event.EventSummary;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A Slack incoming-webhook payload: Block Kit blocks, and {@code text} as the fallback for notifications and clients
 * that do not render blocks.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SlackMessage(String text, List<Block> blocks) {
    private static final ObjectMapper JSON = RotorJson.mapper();
    static final String URGENT_HEADER = ":rotating_light: URGENT";

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Text(String type, String text, Boolean emoji) {
        static Text plain(String text) {
            return new Text("plain_text", text, true);
        }

        static Text markdown(String text) {
            return new Text("mrkdwn", text, null);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Block(String type, Text text, List<Text> fields, List<Text> elements) {
    }

    public static SlackMessage of(Notification n) {
        RotationEvent e = n.event();
        EventSummary s = EventSummary.of(e);
        List<Block> blocks = new ArrayList<>();
        if (e.urgent()) {
            blocks.add(new Block("header", Text.plain(URGENT_HEADER), null, null));
        }
        blocks.add(new Block("section",
                Text.markdown(s.emoji() + " *" + s.title() + "* for `" + escape(e.secretId()) + "`"), null, null));
        List<Text> fields = new ArrayList<>();
        fields.add(Text.markdown("*Secret*\n`" + escape(e.secretId()) + "`"));
        fields.add(Text.markdown("*Trigger*\n" + e.trigger()));
        fields.add(Text.markdown("*Step*\n" + n.milestone()
                + (s.failedStep() == null ? "" : " (failed at " + s.failedStep() + ")")));
        fields.add(Text.markdown("*Reason*\n" + (e.reason() == null ? "_none given_" : escape(e.reason()))));
        if (s.versions() != null) {
            fields.add(Text.markdown("*Versions*\n" + s.versions()));
        }
        blocks.add(new Block("section", null, fields, null));
        if (s.detail() != null) {
            blocks.add(new Block("section", Text.markdown(escape(s.detail())), null, null));
        }
        blocks.add(new Block("context", null, null,
                List.of(Text.markdown("rotation " + e.rotationId() + " · " + n.time()))));
        return new SlackMessage(fallback(e, s), blocks);
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (JsonProcessingException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static String fallback(RotationEvent e, EventSummary s) {
        return (e.urgent() ? "URGENT: " : "") + s.title() + " for " + e.secretId() + " (" + e.trigger() + ")"
                + (e.reason() == null ? "" : ": " + e.reason());
    }

    // Slack's three control characters in mrkdwn; anything else is shown as typed.
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}

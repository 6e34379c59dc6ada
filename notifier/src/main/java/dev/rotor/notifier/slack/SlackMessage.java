package dev.rotor.notifier.slack;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotor.contracts.json.RotorJson;
import dev.rotor.contracts.messages.RotationEvent;
import dev.rotor.notifier.channel.Notification;
import dev.rotor.notifier.event.EventSummary;
import dev.rotor.notifier.event.Texts;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A Slack incoming-webhook payload: Block Kit blocks, and {@code text} as the fallback for notifications and clients
 * that do not render blocks. Slack refuses the whole message when a block's text is too long (a section's text 3,000
 * characters, a field 2,000), so free text (reason, error, manual steps) is cut short with an ellipsis to fit, and
 * the message still arrives.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SlackMessage(String text, List<Block> blocks) {
    private static final ObjectMapper JSON = RotorJson.mapper();
    static final String URGENT_HEADER = ":rotating_light: URGENT";
    static final int SECTION_TEXT_MAX = 3000;
    static final int FIELD_TEXT_MAX = 2000;
    static final int FALLBACK_TEXT_MAX = 3000;
    static final String ELLIPSIS = Texts.ELLIPSIS;

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
        fields.add(Text.markdown(e.reason() == null ? "*Reason*\n_none given_"
                : "*Reason*\n" + escapeWithin(e.reason(), FIELD_TEXT_MAX - "*Reason*\n".length())));
        if (s.versions() != null) {
            fields.add(Text.markdown("*Versions*\n" + s.versions()));
        }
        blocks.add(new Block("section", null, fields, null));
        if (s.detail() != null) {
            blocks.add(new Block("section", Text.markdown(escapeWithin(s.detail(), SECTION_TEXT_MAX)), null, null));
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
        return Texts.within(Texts.headline(e, s), FALLBACK_TEXT_MAX);
    }

    /** Escaped, and at most {@code max} characters: cut between characters, never inside an escape, with "…". */
    static String escapeWithin(String text, int max) {
        String escaped = escape(text);
        if (escaped.length() <= max) {
            return escaped;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); ) {
            int end = i + Character.charCount(text.codePointAt(i));
            String piece = escape(text.substring(i, end));
            if (out.length() + piece.length() + ELLIPSIS.length() > max) {
                break;
            }
            out.append(piece);
            i = end;
        }
        return out.append(ELLIPSIS).toString();
    }

    // Slack's three control characters in mrkdwn; anything else is shown as typed.
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}

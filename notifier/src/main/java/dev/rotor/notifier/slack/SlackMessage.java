package dev.rotor.notifier.slack;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotor.contracts.json.RotorJson;
import dev.rotor.contracts.messages.ApprovalRequested;
import dev.rotor.contracts.messages.CompensationStarted;
import dev.rotor.contracts.messages.PreviousRetired;
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
    /** The button ids the orchestrator's {@code /slack/interactions} acts on. */
    public static final String APPROVE_ACTION = "rotor-approve";
    public static final String ABORT_ACTION = "rotor-abort";
    static final String ACTIONS_BLOCK = "rotor-actions";

    /** What a context or actions block holds: texts, or buttons. */
    public sealed interface Element permits Text, Button {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Text(String type, String text, Boolean emoji) implements Element {
        static Text plain(String text) {
            return new Text("plain_text", text, true);
        }

        static Text markdown(String text) {
            return new Text("mrkdwn", text, null);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Block(String type, @JsonProperty("block_id") String blockId, Text text, List<Text> fields,
            List<Element> elements) {
        Block(String type, Text text, List<Text> fields, List<Element> elements) {
            this(type, null, text, fields, elements);
        }
    }

    /**
     * A Block Kit button. Its press reaches the orchestrator's {@code /slack/interactions} with {@code action_id} and
     * {@code value} (the rotation id), where the same signature and role checks as {@code /rotor} apply.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Button(String type, @JsonProperty("action_id") String actionId, Text text, String style,
            String value, Confirm confirm) implements Element {
    }

    /** Slack's "are you sure?" dialog before a button acts. */
    public record Confirm(Text title, Text text, Text confirm, Text deny, String style) {
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
        if (e.parentId() != null) {
            // A related entry's rotation: which one started it (the milestone carries only its id).
            fields.add(Text.markdown("*Started by*\nrotation `" + e.parentId() + "`"));
        }
        blocks.add(new Block("section", null, fields, null));
        if (s.detail() != null) {
            blocks.add(new Block("section", Text.markdown(escapeWithin(s.detail(), SECTION_TEXT_MAX)), null, null));
        }
        blocks.add(new Block("context", null, null,
                List.of(Text.markdown("rotation " + e.rotationId() + " · " + n.time()))));
        List<Element> buttons = buttons(e);
        if (!buttons.isEmpty()) {
            blocks.add(new Block("actions", ACTIONS_BLOCK, null, null, buttons));
        }
        return new SlackMessage(fallback(e, s), blocks);
    }

    /**
     * Approve while the rotation awaits approval; Abort while it can still be aborted (active, and not already
     * compensating); none once it ended. In bot mode the message is rewritten at each milestone, so its buttons
     * always match the rotation's state; in webhook mode an older message keeps its buttons, and pressing one of a
     * rotation that has moved on gets an answer saying so.
     */
    static List<Element> buttons(RotationEvent e) {
        if (e.terminal() || e instanceof PreviousRetired || e instanceof CompensationStarted) {
            return List.of();
        }
        String id = e.rotationId().toString();
        Button abort = new Button("button", ABORT_ACTION, Text.plain("Abort"), "danger", id, new Confirm(
                Text.plain("Abort this rotation?"), Text.markdown("The rotation of `" + escape(e.secretId())
                        + "` stops and its completed steps are undone."), Text.plain("Abort"),
                Text.plain("Keep it running"), "danger"));
        if (e instanceof ApprovalRequested) {
            return List.of(new Button("button", APPROVE_ACTION, Text.plain("Approve"), "primary", id, null), abort);
        }
        return List.of(abort);
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

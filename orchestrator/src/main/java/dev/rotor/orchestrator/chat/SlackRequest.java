package dev.rotor.orchestrator.chat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rotor.contracts.json.RotorJson;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A verified Slack request, read from its form body: a slash command ({@code user_id}, {@code text},
 * {@code response_url}) or a button press ({@code payload}: a {@code block_actions} JSON whose first action is
 * {@value #APPROVE_ACTION} or {@value #ABORT_ACTION} with the rotation id as its value). Other form fields (among
 * them Slack's legacy verification {@code token}) are ignored and never kept.
 *
 * @param command the command, or null when its text could not be read ({@link #unreadable} says why)
 */
public record SlackRequest(String userId, String responseUrl, ChatCommand command, String unreadable,
        boolean button) {
    /** The {@code action_id}s of the buttons the notifier puts on milestone messages. */
    public static final String APPROVE_ACTION = "rotor-approve";
    public static final String ABORT_ACTION = "rotor-abort";

    /** A signed body that is not what Slack sends; the message names the field. */
    public static final class Malformed extends RuntimeException {
        Malformed(String message) {
            super(message);
        }
    }

    public static SlackRequest slashCommand(byte[] body) {
        Map<String, List<String>> form = form(body);
        String user = required(form, "user_id");
        String responseUrl = required(form, "response_url");
        try {
            return new SlackRequest(user, responseUrl, ChatCommand.parse(field(form, "text")), null, false);
        } catch (ChatCommand.Unreadable e) {
            return new SlackRequest(user, responseUrl, null, e.getMessage(), false);
        }
    }

    public static SlackRequest interaction(byte[] body) {
        String payload = required(form(body), "payload");
        JsonNode json;
        try {
            json = RotorJson.mapper().readTree(payload);
        } catch (IOException e) {
            throw new Malformed("form field 'payload' is not JSON");
        }
        if (json == null || !"block_actions".equals(json.path("type").asText())) {
            throw new Malformed("payload 'type' must be block_actions");
        }
        String user = json.path("user").path("id").asText("");
        String responseUrl = json.path("response_url").asText("");
        JsonNode action = json.path("actions").path(0);
        String actionId = action.path("action_id").asText("");
        String value = action.path("value").asText("");
        if (user.isEmpty()) {
            throw new Malformed("payload 'user.id' is missing");
        }
        if (responseUrl.isEmpty()) {
            throw new Malformed("payload 'response_url' is missing");
        }
        ChatCommand.Kind kind = switch (actionId) {
            case APPROVE_ACTION -> ChatCommand.Kind.APPROVE;
            case ABORT_ACTION -> ChatCommand.Kind.ABORT;
            default -> throw new Malformed("payload 'actions[0].action_id' must be " + APPROVE_ACTION + " or "
                    + ABORT_ACTION);
        };
        if (value.isEmpty()) {
            throw new Malformed("payload 'actions[0].value' (the rotation id) is missing");
        }
        return new SlackRequest(user, responseUrl, new ChatCommand(kind, value, null), null, true);
    }

    private static Map<String, List<String>> form(byte[] body) {
        return new QueryStringDecoder(new String(body, StandardCharsets.UTF_8), StandardCharsets.UTF_8, false)
                .parameters();
    }

    private static String field(Map<String, List<String>> form, String name) {
        List<String> values = form.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static String required(Map<String, List<String>> form, String name) {
        String value = field(form, name);
        if (value == null || value.isBlank()) {
            throw new Malformed("form field '" + name + "' is missing");
        }
        return value;
    }
}

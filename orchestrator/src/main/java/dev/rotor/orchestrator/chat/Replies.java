package dev.rotor.orchestrator.chat;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** What Rotor posts to a {@code response_url}, and the text helpers its answers use. */
public final class Replies {
    static final int TEXT_MAX = 3000;

    private Replies() {
    }

    /**
     * A message for Slack's {@code response_url}: {@code ephemeral} (only the user sees it) or {@code in_channel}.
     * {@code replace_original: false} keeps a button's milestone message as it is (the notifier updates it).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Reply(@JsonProperty("response_type") String responseType, String text,
            @JsonProperty("replace_original") Boolean replaceOriginal) {
        public static Reply ephemeral(String text) {
            return new Reply("ephemeral", cut(text, TEXT_MAX), null);
        }

        public static Reply inChannel(String text) {
            return new Reply("in_channel", cut(text, TEXT_MAX), null);
        }

        /** The same answer for a button press: never replaces the milestone message. */
        public Reply forButton() {
            return new Reply(responseType, text, false);
        }
    }

    /** Slack's three control characters in mrkdwn. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    /** A Slack mention of the user. */
    static String mention(String userId) {
        return "<@" + userId + ">";
    }
}

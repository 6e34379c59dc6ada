package dev.rotor.notifier.event;

import dev.rotor.contracts.messages.RotationEvent;

/** Free text (reasons, errors, manual steps) cut to what a receiver accepts, rather than refused whole. */
public final class Texts {
    public static final String ELLIPSIS = "…";

    private Texts() {
    }

    /** At most {@code max} characters, never splitting a surrogate pair, ending with "…" when cut. */
    public static String within(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int end = max - ELLIPSIS.length();
        if (Character.isLowSurrogate(text.charAt(end))) {
            end--;
        }
        return text.substring(0, end) + ELLIPSIS;
    }

    /** e.g. {@code Rotation rolled back for jwt-secret (EMERGENCY): leaked in git}, URGENT first when urgent. */
    public static String headline(RotationEvent e, EventSummary s) {
        return (e.urgent() ? "URGENT: " : "") + s.title() + " for " + e.secretId() + " (" + e.trigger() + ")"
                + (e.reason() == null ? "" : ": " + e.reason());
    }
}

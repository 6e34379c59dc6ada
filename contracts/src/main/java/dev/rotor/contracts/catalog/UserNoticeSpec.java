package dev.rotor.contracts.catalog;

import java.util.Set;

/**
 * What the app's end users are told once a rotation has updated the secret (after UPDATE_SECRET), e.g. that their
 * sessions or recovery codes no longer work. Sent by the notifier, once per rotation.
 *
 * @param template {@code relogin}, {@code recovery-codes} or {@code custom}
 * @param channel the {@code notify.channels} entry (of type {@code webhook} or {@code email}) that reaches the users
 * @param text the message of a {@code custom} notice (only there)
 */
public record UserNoticeSpec(String template, String channel, String text) {
    public static final String RELOGIN = "relogin";
    public static final String RECOVERY_CODES = "recovery-codes";
    public static final String CUSTOM = "custom";
    public static final Set<String> TEMPLATES = Set.of(RELOGIN, RECOVERY_CODES, CUSTOM);
    /** The channel types a notice can go through. */
    public static final Set<String> CHANNEL_TYPES = Set.of("webhook", "email");
}

package dev.rotor.notifier.notice;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotor.contracts.catalog.UserNoticeSpec;
import dev.rotor.contracts.json.RotorJson;
import dev.rotor.contracts.messages.RotationEvent;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an app's end users are told once a rotation has updated a secret (catalog {@code user-notice}): a subject and
 * a message from the entry's template, or the catalog's own text for {@code custom}. Ids and the message only, never a
 * secret value.
 */
public record UserNotice(String template, String subject, String message) {
    private static final ObjectMapper JSON = RotorJson.mapper();

    public static UserNotice of(UserNoticeSpec spec) {
        return switch (spec.template()) {
            case UserNoticeSpec.RELOGIN -> new UserNotice(spec.template(), "Please sign in again",
                    "Please sign in again. To keep your account safe, we renewed the keys that protect your sessions, "
                            + "so you have been signed out.");
            case UserNoticeSpec.RECOVERY_CODES -> new UserNotice(spec.template(),
                    "Please regenerate your recovery codes",
                    "Please regenerate your recovery codes. To keep your account safe, we renewed the key that "
                            + "protects them, so the codes you saved no longer work: sign in and create new ones.");
            case UserNoticeSpec.CUSTOM -> new UserNotice(spec.template(), "A security notice about your account",
                    spec.text().strip());
            default -> throw new IllegalArgumentException("unknown user-notice template '" + spec.template() + "'");
        };
    }

    /** The webhook body: {@code {"type":"user-notice","template":…,"secretId":…,"rotationId":…,"message":…}}. */
    public byte[] toJson(RotationEvent event) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("type", "user-notice");
        body.put("template", template);
        body.put("secretId", event.secretId());
        body.put("rotationId", event.rotationId().toString());
        body.put("message", message);
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The values of {@code templates/user-notice-email.txt} and {@code .html}. */
    public Map<String, Object> emailData() {
        return Map.of("subject", subject, "message", message);
    }
}

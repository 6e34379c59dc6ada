package dev.rotor.notifier.notice;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotor.contracts.catalog.UserNoticeSpec;
import dev.rotor.contracts.messages.SecretUpdated;
import dev.rotor.contracts.messages.Trigger;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The subject and message of each user-notice template, and the webhook body of a custom one. */
class UserNoticeTextTest {

    @Test
    void eachTemplateHasItsSubjectAndMessage() {
        assertThat(UserNotice.of(new UserNoticeSpec("relogin", "c", null))).isEqualTo(new UserNotice("relogin",
                "Please sign in again", "Please sign in again. To keep your account safe, we renewed the keys that "
                        + "protect your sessions, so you have been signed out."));
        assertThat(UserNotice.of(new UserNoticeSpec("recovery-codes", "c", null)).subject())
                .isEqualTo("Please regenerate your recovery codes");
        assertThat(UserNotice.of(new UserNoticeSpec("custom", "c", "  Your API keys were renewed.\n")))
                .isEqualTo(new UserNotice("custom", "A security notice about your account",
                        "Your API keys were renewed."));
    }

    @Test
    void aCustomNoticeWebhookBodyCarriesTheCatalogText() throws Exception {
        UUID rotation = UUID.randomUUID();
        byte[] body = UserNotice.of(new UserNoticeSpec("custom", "c", "Your API keys were renewed."))
                .toJson(new SecretUpdated(rotation, "api-key", Trigger.MANUAL, null, 3, 2, Instant.EPOCH));
        ObjectMapper json = new ObjectMapper();
        assertThat(json.readTree(body)).isEqualTo(json.readTree("""
                {"type": "user-notice", "template": "custom", "secretId": "api-key", "rotationId": "%s",
                 "message": "Your API keys were renewed."}""".formatted(rotation)));
    }
}

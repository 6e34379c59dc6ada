package dev.rotor.notifier.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.rotor.contracts.messages.KafkaEnvelope;
import dev.rotor.contracts.messages.RotationCompleted;
import dev.rotor.contracts.messages.RotationEvent;
import dev.rotor.contracts.messages.SecretUpdated;
import dev.rotor.contracts.messages.Topics;
import dev.rotor.contracts.messages.Trigger;
import dev.rotor.local.KafkaClients;
import dev.rotor.local.KafkaResource;
import dev.rotor.local.PostgresResource;
import dev.rotor.local.auth.AuthResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.mail.BodyPart;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * Catalog {@code user-notice}, through the real broker to real receivers: after {@code secret-updated} the app's end
 * users get exactly one notice per rotation, on the app's webhook (WireMock) or its mailing list (GreenMail), even when
 * the milestone arrives twice; no secret in it nor in the notifier's log.
 */
@QuarkusTest
@QuarkusTestResource(AuthResource.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class,
        initArgs = @ResourceArg(name = "database", value = "notifier_notice"))
@QuarkusTestResource(ReceiversResource.class)
@QuarkusTestResource(ChannelReceiversResource.class)
class UserNoticeTest {
    @jakarta.inject.Inject
    javax.sql.DataSource db;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ORCHESTRATOR = "/rotor/orchestrator";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Instant AT = Instant.parse("2026-01-08T02:00:00Z");

    ChannelReceiversResource.ChannelReceivers channels;

    @Test
    void aReloginNoticeReachesTheAppWebhookOncePerRotation() throws Exception {
        UUID rotation = UUID.randomUUID();
        SecretUpdated updated = new SecretUpdated(rotation, "session-secret", Trigger.EMERGENCY, "leaked", 2, 1, AT);
        milestoneDeliveredTwiceThenCompleted(updated);

        List<LoggedRequest> notices = hookRequests(rotation);
        assertThat(notices).hasSize(1);
        assertThat(notices.get(0).getHeader("Content-Type")).startsWith("application/json");
        assertThat(JSON.readTree(notices.get(0).getBodyAsString())).isEqualTo(JSON.readTree("""
                {"type": "user-notice", "template": "relogin", "secretId": "session-secret", "rotationId": "%s",
                 "message": "Please sign in again. To keep your account safe, we renewed the keys that protect your \
                sessions, so you have been signed out."}
                """.formatted(rotation)));
        noSecretIn(notices.get(0).getBodyAsString());
    }

    @Test
    void aRecoveryCodesNoticeIsMailedToTheUsersListOncePerRotation() throws Exception {
        UUID rotation = UUID.randomUUID();
        SecretUpdated updated = new SecretUpdated(rotation, "totp-secret", Trigger.MANUAL, "quarterly", 5, 4, AT);
        milestoneDeliveredTwiceThenCompleted(updated);

        // GreenMail keeps a copy per mailbox: one message, to both list addresses, and nothing more.
        List<MimeMessage> mails = userMails();
        assertThat(mails).hasSize(2);
        MimeMessage mail = mails.get(0);
        assertThat(mail.getSubject()).isEqualTo("Please regenerate your recovery codes");
        assertThat(Arrays.stream(mail.getRecipients(RecipientType.TO)).map(a -> ((InternetAddress) a).getAddress()))
                .containsExactly("users@lists.example.com", "beta-users@lists.example.com");
        assertThat(((InternetAddress) mail.getFrom()[0]).getAddress()).isEqualTo("rotor@example.com");
        String message = "Please regenerate your recovery codes. To keep your account safe, we renewed the key that "
                + "protects them, so the codes you saved no longer work: sign in and create new ones.";
        assertThat(part(mail, "text/plain")).isEqualTo(message + """


                --\s
                You get this because you use an app secured with Rotor, secret rotation.""");
        assertThat(part(mail, "text/html")).isEqualTo("""
                <!DOCTYPE html>
                <html>
                <body style="font-family: sans-serif">
                <h2>Please regenerate your recovery codes</h2>
                <p>%s</p>
                <p style="color: #666">You get this because you use an app secured with Rotor, secret rotation.</p>
                </body>
                </html>""".formatted(message));
        noSecretIn(part(mail, "text/plain") + part(mail, "text/html"));
        // The notice is recorded per rotation, apart from the channel's milestones.
        // (marked delivered within a moment: the marks are written together, every 100 ms)
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                DeliveryRows.states(db, "user-notice/" + rotation)).containsEntry("user-notice:users", "DELIVERED"));
    }

    /**
     * Sends the milestone, waits for its notice, sends the same record again and the same milestone as a new record
     * (another CloudEvent id), then the rotation's completion; once the completion's e-mail is in, the consumer has
     * handled both repeats (one partition per rotation, records in order).
     */
    private void milestoneDeliveredTwiceThenCompleted(SecretUpdated updated) throws Exception {
        ProducerRecord<String, byte[]> first = record(updated);
        KafkaClients.send(first);
        await().atMost(WAIT).until(() -> hookRequests(updated.rotationId()).size() + userMails().size() > 0);
        KafkaClients.send(new ProducerRecord<>(first.topic(), null, first.key(), first.value(), first.headers()));
        KafkaClients.send(record(updated));
        KafkaClients.send(record(new RotationCompleted(updated.rotationId(), updated.secretId(), updated.trigger(),
                updated.reason(), updated.previousVersion(), updated.currentVersion(), AT)));
        String rotation = updated.rotationId().toString();
        await().atMost(WAIT).until(() -> Arrays.stream(channels.greenMail().getReceivedMessages())
                .anyMatch(m -> part(m, "text/plain").contains("Rotation completed for " + updated.secretId())
                        && part(m, "text/plain").contains(rotation)));
        // Any late second notice would have been handed to its lane before the completion: give the lane a moment.
        Thread.sleep(500);
    }

    private static ProducerRecord<String, byte[]> record(RotationEvent event) {
        return KafkaEnvelope.record(Topics.ROTATIONS, event, ORCHESTRATOR);
    }

    private List<LoggedRequest> hookRequests(UUID rotation) {
        List<LoggedRequest> found = new ArrayList<>();
        for (ServeEvent e : channels.wiremock().getAllServeEvents()) {
            if (e.getRequest().getUrl().startsWith(ChannelReceiversResource.APP_HOOK_PATH)
                    && e.getRequest().getBodyAsString().contains(rotation.toString())) {
                found.add(e.getRequest());
            }
        }
        return found;
    }

    private List<MimeMessage> userMails() throws Exception {
        List<MimeMessage> found = new ArrayList<>();
        for (MimeMessage m : channels.greenMail().getReceivedMessages()) {
            if (Arrays.stream(m.getRecipients(RecipientType.TO))
                    .anyMatch(a -> ((InternetAddress) a).getAddress().endsWith("@lists.example.com"))) {
                found.add(m);
            }
        }
        return found;
    }

    private void noSecretIn(String sent) throws Exception {
        String log = Files.readString(Path.of("target/notifier-test.log"));
        for (String secret : channels.secrets().all()) {
            assertThat(sent).as("the notice").doesNotContain(secret);
            assertThat(log).as("the notifier's log").doesNotContain(secret);
        }
    }

    private static String part(MimeMessage message, String type) {
        try {
            MimeMultipart parts = (MimeMultipart) message.getContent();
            for (int i = 0; i < parts.getCount(); i++) {
                BodyPart part = parts.getBodyPart(i);
                if (part.isMimeType(type)) {
                    return part.getContent().toString().replace("\r\n", "\n");
                }
            }
        } catch (Exception e) {
            throw new AssertionError("unreadable message", e);
        }
        throw new AssertionError("no " + type + " part in a message");
    }
}

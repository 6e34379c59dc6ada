package dev.rotor.notifier.consume;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.rotor.contracts.messages.CloudEvents;
import dev.rotor.contracts.messages.KafkaEnvelope;
import dev.rotor.contracts.messages.RotationCompleted;
import dev.rotor.contracts.messages.RotationEvent;
import dev.rotor.contracts.messages.RotationRequested;
import dev.rotor.contracts.messages.RotationRolledBack;
import dev.rotor.contracts.messages.SecretStaged;
import dev.rotor.contracts.messages.SecretUpdated;
import dev.rotor.contracts.messages.Step;
import dev.rotor.contracts.messages.Topics;
import dev.rotor.contracts.messages.Trigger;
import dev.rotor.local.KafkaClients;
import dev.rotor.local.KafkaResource;
import dev.rotor.local.PostgresResource;
import dev.rotor.local.auth.AuthResource;
import dev.rotor.notifier.channel.Notification;
import dev.rotor.notifier.event.Links;
import dev.rotor.notifier.slack.SlackMessage;
import dev.rotor.notifier.teams.TeamsCard;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.mail.BodyPart;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/**
 * PagerDuty, Teams, Slack in bot mode and e-mail, through the real broker to real receivers (WireMock, GreenMail):
 * exactly these payloads, in this order, and no channel secret anywhere the notifier writes.
 */
@QuarkusTest
@QuarkusTestResource(AuthResource.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class,
        initArgs = @ResourceArg(name = "database", value = "notifier_channels"))
@QuarkusTestResource(ReceiversResource.class)
@QuarkusTestResource(ChannelReceiversResource.class)
class ChannelsTest {
    /** The management interface: health, metrics and OpenAPI are served there, never on the public port. */
    @io.quarkus.test.common.http.TestHTTPResource(value = "/", management = true)
    java.net.URI management;

    @jakarta.inject.Inject
    javax.sql.DataSource db;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ORCHESTRATOR = "/rotor/orchestrator";
    private static final String BASE = "https://rotor.example/api/rotations/";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Instant AT = Instant.parse("2026-01-08T02:00:00Z");

    ChannelReceiversResource.ChannelReceivers channels;

    @Test
    void anEmergencyRotationPagesResolvesAndEveryChannelGetsItsExactMessage() throws Exception {
        UUID rotation = UUID.randomUUID();
        String id = rotation.toString();
        List<Notification> sent = List.of(
                send(new RotationRequested(rotation, "pager-secret", Trigger.EMERGENCY, "leaked in git", "immediate",
                        "pagerduty:PXYZ", AT)),
                send(new SecretStaged(rotation, "pager-secret", Trigger.EMERGENCY, "leaked in git", "local", 2, AT)),
                send(new SecretUpdated(rotation, "pager-secret", Trigger.EMERGENCY, "leaked in git", 2, null, AT)),
                send(new RotationCompleted(rotation, "pager-secret", Trigger.EMERGENCY, "leaked in git", 1, 2, AT)));
        String time = sent.get(0).time();

        // PagerDuty: a trigger at the start, a resolve at completion, the same dedup_key; nothing in between.
        List<LoggedRequest> pd = awaitRequests(() -> requests("/v2/enqueue", id), 2);
        assertThat(json(pd.get(0))).isEqualTo(JSON.readTree("""
                {"routing_key": "%1$s", "event_action": "trigger", "dedup_key": "%2$s",
                 "payload": {"summary": "URGENT: Rotation requested for pager-secret (EMERGENCY): leaked in git",
                   "source": "rotor", "severity": "critical", "timestamp": "%3$s", "component": "pager-secret",
                   "group": "secret-rotation", "class": "rotation-requested",
                   "custom_details": {"rotation": "%2$s", "secret": "pager-secret", "trigger": "EMERGENCY",
                     "milestone": "rotation-requested", "reason": "leaked in git",
                     "detail": "strategy immediate, requested by pagerduty:PXYZ"}},
                 "client": "Rotor", "client_url": "%4$s%2$s",
                 "links": [{"href": "%4$s%2$s", "text": "Rotation"},
                           {"href": "%4$s%2$s/report", "text": "Rotation report"}]}
                """.formatted(channels.secrets().routingKey(), id, time, BASE)));
        assertThat(json(pd.get(1))).isEqualTo(JSON.readTree("""
                {"routing_key": "%s", "event_action": "resolve", "dedup_key": "%s"}
                """.formatted(channels.secrets().routingKey(), id)));
        // Each final outcome is counted per channel and milestone type.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(io.restassured.RestAssured.get(management.resolve("/q/metrics")).then().statusCode(200).extract().asString())
                        .contains("rotor_notifications_total{channel=\"pd\",outcome=\"delivered\","
                                + "type=\"rotation-completed\"}")
                        .contains("rotor_notifications_total{channel=\"mail\",outcome=\"delivered\","
                                + "type=\"rotation-requested\"}"));

        // Slack bot: one message, posted at the first milestone, then updated in place with its ts.
        List<LoggedRequest> slack = awaitRequests(() -> requests("/api/chat.", id), 4);
        assertThat(slack).extracting(LoggedRequest::getUrl).containsExactly("/api/chat.postMessage",
                "/api/chat.update", "/api/chat.update", "/api/chat.update");
        assertThat(slack).extracting(r -> r.getHeader("Authorization"))
                .containsOnly("Bearer " + channels.secrets().slackToken());
        assertThat(json(slack.get(0))).isEqualTo(JSON.readTree("""
                {"channel": "C0ROTOR",
                 "text": "URGENT: Rotation requested for pager-secret (EMERGENCY): leaked in git",
                 "blocks": [
                   {"type": "header", "text": {"type": "plain_text", "text": ":rotating_light: URGENT", "emoji": true}},
                   {"type": "section", "text": {"type": "mrkdwn",
                     "text": ":hourglass_flowing_sand: *Rotation requested* for `pager-secret`"}},
                   {"type": "section", "fields": [
                     {"type": "mrkdwn", "text": "*Secret*\\n`pager-secret`"},
                     {"type": "mrkdwn", "text": "*Trigger*\\nEMERGENCY"},
                     {"type": "mrkdwn", "text": "*Step*\\nrotation-requested"},
                     {"type": "mrkdwn", "text": "*Reason*\\nleaked in git"}]},
                   {"type": "section", "text": {"type": "mrkdwn",
                     "text": "strategy immediate, requested by pagerduty:PXYZ"}},
                   {"type": "context", "elements": [{"type": "mrkdwn", "text": "rotation %1$s · %2$s"}]},
                   {"type": "actions", "block_id": "rotor-actions", "elements": [
                     {"type": "button", "action_id": "rotor-abort", "style": "danger",
                      "text": {"type": "plain_text", "text": "Abort", "emoji": true}, "value": "%1$s",
                      "confirm": {"title": {"type": "plain_text", "text": "Abort this rotation?", "emoji": true},
                        "text": {"type": "mrkdwn",
                          "text": "The rotation of `pager-secret` stops and its completed steps are undone."},
                        "confirm": {"type": "plain_text", "text": "Abort", "emoji": true},
                        "deny": {"type": "plain_text", "text": "Keep it running", "emoji": true},
                        "style": "danger"}}]}]}
                """.formatted(id, time)));
        for (int i = 1; i < 4; i++) {
            SlackMessage message = SlackMessage.of(sent.get(i));
            JsonNode expected = JSON.createObjectNode().put("channel", "C0ROTOR")
                    .put("ts", ChannelReceiversResource.SLACK_TS).put("text", message.text())
                    .set("blocks", JSON.readTree(message.toJson()).get("blocks"));
            assertThat(json(slack.get(i))).isEqualTo(expected);
        }
        assertThat(json(slack.get(3)).get("text").asText())
                .isEqualTo("URGENT: Rotation completed for pager-secret (EMERGENCY): leaked in git");
        // The final update takes the buttons away: the rotation can no longer be aborted.
        assertThat(json(slack.get(3)).findValues("action_id")).isEmpty();

        // Teams: one Adaptive Card per milestone.
        List<LoggedRequest> teams = awaitRequests(() -> requests(channels.secrets().teamsPath(), id), 4);
        assertThat(json(teams.get(0))).isEqualTo(JSON.readTree("""
                {"type": "message", "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive",
                  "content": {"$schema": "http://adaptivecards.io/schemas/adaptive-card.json", "type": "AdaptiveCard",
                    "version": "1.4",
                    "body": [
                      {"type": "TextBlock", "text": "URGENT: Rotation requested for pager-secret", "size": "Medium",
                       "weight": "Bolder", "color": "Attention", "wrap": true},
                      {"type": "FactSet", "facts": [{"title": "Secret", "value": "pager-secret"},
                        {"title": "Trigger", "value": "EMERGENCY"}, {"title": "Step", "value": "rotation-requested"},
                        {"title": "Reason", "value": "leaked in git"}, {"title": "Rotation", "value": "%1$s"}]},
                      {"type": "TextBlock", "text": "strategy immediate, requested by pagerduty:PXYZ", "wrap": true},
                      {"type": "TextBlock", "text": "%2$s", "size": "Small", "isSubtle": true, "wrap": true}],
                    "actions": [{"type": "Action.OpenUrl", "title": "Open rotation", "url": "%3$s%1$s"},
                                {"type": "Action.OpenUrl", "title": "Report", "url": "%3$s%1$s/report"}]}}]}
                """.formatted(id, time, BASE)));
        for (int i = 1; i < 4; i++) {
            assertThat(json(teams.get(i))).isEqualTo(JSON.readTree(TeamsCard.of(sent.get(i),
                    new Links("https://rotor.example")).toJson()));
        }

        // E-mail: each milestone to both recipients (GreenMail keeps a copy per mailbox), with a text and an HTML part.
        List<MimeMessage> mails = awaitMails(id, 8);
        assertThat(mails).extracting(MimeMessage::getSubject).containsExactlyInAnyOrder(
                "[Rotor] URGENT: Rotation requested for pager-secret (EMERGENCY)",
                "[Rotor] URGENT: Rotation requested for pager-secret (EMERGENCY)",
                "[Rotor] URGENT: New version staged for pager-secret (EMERGENCY)",
                "[Rotor] URGENT: New version staged for pager-secret (EMERGENCY)",
                "[Rotor] URGENT: Secret updated for pager-secret (EMERGENCY)",
                "[Rotor] URGENT: Secret updated for pager-secret (EMERGENCY)",
                "[Rotor] URGENT: Rotation completed for pager-secret (EMERGENCY)",
                "[Rotor] URGENT: Rotation completed for pager-secret (EMERGENCY)");
        MimeMessage first = mails.stream().filter(m -> part(m, "text/plain").contains("rotation-requested"))
                .findFirst().orElseThrow();
        assertThat(Arrays.stream(first.getRecipients(RecipientType.TO)).map(a -> ((InternetAddress) a).getAddress()))
                .containsExactly("oncall@example.com", "security@example.com");
        assertThat(((InternetAddress) first.getFrom()[0]).getAddress()).isEqualTo("rotor@example.com");
        assertThat(part(first, "text/plain")).isEqualTo("""
                URGENT: Rotation requested for pager-secret (EMERGENCY)

                Secret:    pager-secret
                Trigger:   EMERGENCY
                Step:      rotation-requested
                Reason:    leaked in git
                Rotation:  %1$s
                Time:      %2$s

                strategy immediate, requested by pagerduty:PXYZ

                Open the rotation: %3$s%1$s
                Its report:        %3$s%1$s/report

                --\s
                Rotor, secret rotation. You get this because the catalog lists this address for the secret's \
                notifications.""".formatted(id, time, BASE));
        assertThat(part(first, "text/html")).isEqualTo("""
                <!DOCTYPE html>
                <html>
                <body style="font-family: sans-serif">
                <p style="color: #b00020; font-weight: bold">URGENT</p>
                <h2>Rotation requested for <code>pager-secret</code></h2>
                <table>
                <tr><th align="left">Secret</th><td><code>pager-secret</code></td></tr>
                <tr><th align="left">Trigger</th><td>EMERGENCY</td></tr>
                <tr><th align="left">Step</th><td>rotation-requested</td></tr>
                <tr><th align="left">Reason</th><td>leaked in git</td></tr>
                <tr><th align="left">Rotation</th><td><code>%1$s</code></td></tr>
                <tr><th align="left">Time</th><td>%2$s</td></tr>
                </table>
                <pre>
                strategy immediate, requested by pagerduty:PXYZ
                </pre>
                <p><a href="%3$s%1$s">Open the rotation</a> · <a href="%3$s%1$s/report">Its report</a></p>
                <p style="color: #666">Rotor, secret rotation. You get this because the catalog lists this address \
                for the secret's notifications.</p>
                </body>
                </html>""".formatted(id, time, BASE));
    }

    @Test
    void aPlannedRotationNeverPagesAndItsRollbackPagesAsAnError() throws Exception {
        UUID quiet = UUID.randomUUID();
        send(new RotationRequested(quiet, "pager-secret", Trigger.SCHEDULED, null, "immediate", "schedule", AT));
        send(new RotationCompleted(quiet, "pager-secret", Trigger.SCHEDULED, null, 1, 2, AT));
        UUID failing = UUID.randomUUID();
        send(new RotationRequested(failing, "pager-secret", Trigger.MANUAL, "quarterly", "immediate", "alice", AT));
        send(new RotationRolledBack(failing, "pager-secret", Trigger.MANUAL, "quarterly", Step.UPDATE_SECRET,
                "target not writable", AT));

        // The quiet rotation's last message reached Slack; PagerDuty heard nothing of it.
        awaitRequests(() -> requests("/api/chat.", quiet.toString()), 2);
        assertThat(requests("/v2/enqueue", quiet.toString())).isEmpty();
        List<LoggedRequest> pd = awaitRequests(() -> requests("/v2/enqueue", failing.toString()), 1);
        JsonNode page = json(pd.get(0));
        assertThat(page.get("event_action").asText()).isEqualTo("trigger");
        assertThat(page.get("dedup_key").asText()).isEqualTo(failing.toString());
        assertThat(page.at("/payload/severity").asText()).isEqualTo("error");
        assertThat(page.at("/payload/summary").asText())
                .isEqualTo("URGENT: Rotation rolled back for pager-secret (MANUAL): quarterly");
        assertThat(page.at("/payload/custom_details/failed_step").asText()).isEqualTo("UPDATE_SECRET");
    }

    @Test
    void aSlowReceiverHoldsUpNoOtherChannel() throws Exception {
        UUID rotation = UUID.randomUUID();
        String id = rotation.toString();
        channels.wiremock().stubFor(post(urlPathEqualTo(channels.secrets().teamsPath()))
                .withRequestBody(containing(id)).atPriority(1)
                .willReturn(aResponse().withStatus(202).withFixedDelay(4000)));
        Notification requested = send(new RotationRequested(rotation, "pager-secret", Trigger.MANUAL, null,
                "immediate", "alice", AT));

        await().atMost(Duration.ofSeconds(3)).until(() -> "DELIVERED".equals(
                DeliveryRows.states(db, requested.id()).get("slack-bot"))
                && "DELIVERED".equals(DeliveryRows.states(db, requested.id()).get("mail")));
        // Teams is still waiting for its answer: claimed, not delivered.
        assertThat(DeliveryRows.states(db, requested.id())).containsEntry("teams", "CLAIMED");
        await().atMost(WAIT).until(() -> "DELIVERED".equals(DeliveryRows.states(db, requested.id()).get("teams")));
    }

    @Test
    void noChannelSecretReachesTheLogTheDeliveryLogOrTheDeadLetters() throws Exception {
        UUID rotation = UUID.randomUUID();
        String id = rotation.toString();
        var wiremock = channels.wiremock();
        var secrets = channels.secrets();
        // Receivers that refuse, one of them echoing the routing key in its answer as PagerDuty's errors can.
        wiremock.stubFor(post(urlEqualTo("/v2/enqueue")).withRequestBody(containing(id)).atPriority(1)
                .willReturn(aResponse().withStatus(400).withBody("{\"status\":\"invalid event\",\"errors\":"
                        + "[\"bad routing_key " + secrets.routingKey() + "\"]}")));
        wiremock.stubFor(post(urlEqualTo("/api/chat.postMessage")).withRequestBody(containing(id)).atPriority(1)
                .willReturn(okJson("{\"ok\":false,\"error\":\"invalid_auth\"}")));
        wiremock.stubFor(post(urlPathEqualTo(secrets.teamsPath())).withRequestBody(containing(id)).atPriority(1)
                .willReturn(aResponse().withStatus(503)));
        String dlqTopic = "topic=\"" + Topics.dlq("notifier") + "\"";
        double deadBefore = dev.rotor.local.PrometheusSamples.valueOrZero(metrics(),
                "rotor_dead_lettered_records_total", dlqTopic);
        List<ConsumerRecord<String, byte[]>> dead = new ArrayList<>();
        Notification rolledBack;
        try (var dlq = KafkaClients.consumer(Topics.dlq("notifier"))) {
            rolledBack = send(new RotationRolledBack(rotation, "pager-secret", Trigger.MANUAL, "drill",
                    Step.UPDATE_SECRET, "target not writable", AT));
            await().atMost(WAIT).until(() -> {
                KafkaClients.poll(dlq).stream().filter(r -> id.equals(r.key())).forEach(dead::add);
                return !dead.isEmpty();
            });
        }
        assertThat(KafkaEnvelope.header(dead.get(0).headers(), CloudEvents.DLQ_REASON)).isEqualTo(
                "urgent rotation-rolled-back of rotation " + id + " not delivered to channel(s) pd, teams, slack-bot");
        // Counted once its copy was acknowledged, which may be just after the consumer read it.
        await().atMost(WAIT).untilAsserted(() -> assertThat(dev.rotor.local.PrometheusSamples.value(metrics(),
                "rotor_dead_lettered_records_total", dlqTopic)).isEqualTo(deadBefore + 1));
        List<MimeMessage> mails = awaitMails(id, 2);
        assertThat(mails).extracting(MimeMessage::getSubject)
                .containsOnly("[Rotor] URGENT: Rotation rolled back for pager-secret (MANUAL)");

        Path log = Path.of("target/notifier-test.log");
        await().atMost(WAIT).until(() -> Files.readString(log).contains(
                "channel 'teams': gave up delivering rotation-rolled-back of rotation " + id));
        String logText = Files.readString(log);
        assertThat(logText).contains("channel 'pd': rotation-rolled-back of rotation " + id
                + " refused with HTTP 400", "channel 'slack-bot': Slack refused the message: invalid_auth");
        // Only e-mail delivered; the channels that gave up released their claims, so a redelivery may try again.
        assertThat(DeliveryRows.states(db, rolledBack.id())).containsExactly(java.util.Map.entry("mail", "DELIVERED"));
        String deliveryLog = DeliveryRows.dump(db);
        StringBuilder records = new StringBuilder(new String(dead.get(0).value(), StandardCharsets.UTF_8));
        for (Header header : dead.get(0).headers()) {
            records.append('\n').append(header.key()).append('=')
                    .append(new String(header.value(), StandardCharsets.UTF_8));
        }
        String mailText = part(mails.get(0), "text/plain") + part(mails.get(0), "text/html");
        String metrics = metrics();
        for (String secret : secrets.all()) {
            assertThat(metrics).as("/q/metrics").doesNotContain(secret);
            assertThat(mailText).as("the e-mail").doesNotContain(secret);
            assertThat(logText).as("the notifier's log").doesNotContain(secret);
            assertThat(deliveryLog).as("the delivery store").doesNotContain(secret);
            assertThat(records).as("the dead letter").doesNotContain(secret);
        }
    }

    private static Notification send(RotationEvent event) throws Exception {
        ProducerRecord<String, byte[]> record = KafkaEnvelope.record(Topics.ROTATIONS, event, ORCHESTRATOR);
        KafkaClients.send(record);
        return new Notification(event, KafkaEnvelope.header(record.headers(), CloudEvents.ID), ORCHESTRATOR,
                KafkaEnvelope.header(record.headers(), CloudEvents.TIME));
    }

    /** The requests whose URL starts with {@code url} and whose body names the rotation, oldest first. */
    private List<LoggedRequest> requests(String url, String rotation) {
        List<ServeEvent> events = new ArrayList<>(channels.wiremock().getAllServeEvents());
        Collections.reverse(events);
        return events.stream().map(ServeEvent::getRequest)
                .filter(r -> r.getUrl().startsWith(url) && r.getBodyAsString().contains(rotation)).toList();
    }

    private static List<LoggedRequest> awaitRequests(Supplier<List<LoggedRequest>> requests, int count) {
        await().atMost(WAIT).until(() -> requests.get().size() >= count);
        List<LoggedRequest> found = requests.get();
        assertThat(found).hasSize(count);
        return found;
    }

    private List<MimeMessage> awaitMails(String rotation, int count) throws Exception {
        await().atMost(WAIT).until(() -> mails(rotation).size() >= count);
        List<MimeMessage> found = mails(rotation);
        assertThat(found).hasSize(count);
        return found;
    }

    private List<MimeMessage> mails(String rotation) throws Exception {
        List<MimeMessage> found = new ArrayList<>();
        for (MimeMessage m : channels.greenMail().getReceivedMessages()) {
            if (part(m, "text/plain").contains(rotation)) {
                found.add(m);
            }
        }
        return found;
    }

    /**
     * The decoded text of the message's part of this type, with SMTP's CRLF line ends made LF again (the template's last
     * line end is the one MIME puts before the next boundary, so it is not part of the text).
     */
    private static String part(MimeMessage message, String type) {
        try {
            return partOrFail(message, type);
        } catch (Exception e) {
            throw new AssertionError("unreadable message", e);
        }
    }

    private static String partOrFail(MimeMessage message, String type) throws Exception {
        MimeMultipart parts = (MimeMultipart) message.getContent();
        for (int i = 0; i < parts.getCount(); i++) {
            BodyPart part = parts.getBodyPart(i);
            if (part.isMimeType(type)) {
                return part.getContent().toString().replace("\r\n", "\n");
            }
        }
        throw new AssertionError("no " + type + " part in " + message.getSubject());
    }

    private static JsonNode json(LoggedRequest request) {
        try {
            return JSON.readTree(request.getBodyAsString());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + request.getUrl(), e);
        }
    }

    private String metrics() {
        return io.restassured.RestAssured.get(management.resolve("/q/metrics")).then().statusCode(200).extract().asString();
    }
}

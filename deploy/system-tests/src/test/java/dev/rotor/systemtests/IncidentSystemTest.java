package dev.rotor.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.rotor.contracts.messages.CloudEvents;
import dev.rotor.contracts.messages.KafkaEnvelope;
import dev.rotor.contracts.messages.MessageCodec;
import dev.rotor.contracts.messages.RotationCompleted;
import dev.rotor.contracts.messages.RotationEvent;
import jakarta.mail.BodyPart;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The on-call loop over the four real services: PagerDuty (played by this test, signing as PagerDuty does) reports
 * an incident on the auth service; the orchestrator rotates jwt-secret and its related session-secret as EMERGENCY,
 * secret-sync rewrites both env files, and the old values are gone. On-call hears of it on real receivers
 * ({@link OnCallReceivers}): a PagerDuty trigger then a resolve per rotation, one Slack message per rotation updated
 * in place to COMPLETED, an e-mail per milestone; the app's users get their relogin notice. A redelivery and a forged
 * delivery start nothing, and no log line or received payload holds the webhook secret, a channel secret or a secret
 * value. Everything runs on one system start (one incident), so the loop adds no start-up time.
 */
class IncidentSystemTest {
    private static final String WEBHOOK_SECRET = "pd-system-test-webhook-secret-5be0c2";
    private static final String JWT = "1111111111111111111111111111111111111111111111111111111111111111";
    private static final String SESSION = "2222222222222222222222222222222222222222222222222222222222222222";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String REASON = "pagerduty incident Q1SYSTEM: JWT signing key committed to a public repo";
    private static final String LINKS = "https://rotor.example/api/rotations/";
    private static final List<String> MILESTONES = List.of("rotation-requested", "secret-staged", "secret-updated",
            "rotation-completed");
    private static final Map<String, String> TITLES = Map.of("rotation-requested", "Rotation requested",
            "secret-staged", "New version staged", "secret-updated", "Secret updated", "rotation-completed",
            "Rotation completed");

    @TempDir
    static Path dir;
    static RotorSystem system;
    static Api api;
    static OnCallReceivers receivers;
    static TopicReader topics;

    @BeforeAll
    static void startSystem() throws Exception {
        Files.writeString(dir.resolve("jwt.env"), "JWT_SECRET=" + JWT + "\nJWT_SECRET_PREVIOUS=\n");
        Files.writeString(dir.resolve("session.env"), "SESSION_SECRET=" + SESSION + "\nSESSION_SECRET_PREVIOUS=\n");
        String text = new String(IncidentSystemTest.class.getResourceAsStream("/incident-catalog.yaml")
                .readAllBytes(), StandardCharsets.UTF_8).replace("${DIR}", dir.toString());
        Path catalog = Files.writeString(dir.resolve("catalog.yaml"), text);
        receivers = new OnCallReceivers(List.of("jwt-secret", "session-secret"));
        Map<String, String> env = new HashMap<>(receivers.notifierEnv());
        env.put("ROTOR_INCIDENTS_PAGERDUTY_SECRET", WEBHOOK_SECRET);
        env.put("ROTOR_ORCHESTRATOR_URL", "https://rotor.example");
        system = new RotorSystem(Files.createDirectories(dir.resolve("home")), catalog, env);
        api = new Api(system);
        topics = new TopicReader(system.bootstrap);
    }

    @AfterAll
    static void stopSystem() throws Exception {
        if (system != null) {
            system.close();
        }
        if (receivers != null) {
            receivers.close();
        }
    }

    @Test
    void aPagerDutyIncidentRotatesJwtSecretAndItsRelatedSessionSecretOnceAndOnCallHearsOfIt() throws Exception {
        String body = """
                {"event":{"id":"01EVTSYS","event_type":"incident.triggered","resource_type":"incident",
                 "occurred_at":"2026-12-02T10:00:05Z","data":{"id":"Q1SYSTEM","type":"incident",
                 "title":"JWT signing key committed to a public repo","created_at":"2026-12-02T10:00:00Z",
                 "service":{"id":"PAUTH01","summary":"Auth API","type":"service_reference"}}}}""";

        HttpResponse<String> forged = deliver(body, "v1=" + hmac("a guess", body));
        assertThat(forged.statusCode()).isEqualTo(401);

        HttpResponse<String> first = deliver(body, "v1=" + hmac(WEBHOOK_SECRET, body));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        JsonNode started = JSON.readTree(first.body()).get("started");
        assertThat(started).hasSize(2);
        String parent = started.get(0).get("id").asText();
        String child = started.get(1).get("id").asText();
        assertThat(started.get(0).get("secretId").asText()).isEqualTo("jwt-secret");
        assertThat(started.get(1).get("secretId").asText()).isEqualTo("session-secret");

        JsonNode p = api.awaitTerminal(parent, Duration.ofSeconds(120));
        JsonNode c = api.awaitTerminal(child, Duration.ofSeconds(120));
        assertThat(p.get("state").asText()).as(p.toString()).isEqualTo("COMPLETED");
        assertThat(c.get("state").asText()).as(c.toString()).isEqualTo("COMPLETED");
        assertThat(p.get("trigger").asText()).isEqualTo("EMERGENCY");
        assertThat(p.get("requestedBy").asText()).isEqualTo("pagerduty:Q1SYSTEM");
        assertThat(c.get("parentId").asText()).isEqualTo(parent);
        assertThat(api.rotation(parent).get("children").get(0).get("state").asText()).isEqualTo("COMPLETED");

        // secret-sync rewrote both files; immediate leaves no previous value behind.
        Map<String, String> jwt = EnvFile.read(dir.resolve("jwt.env"));
        Map<String, String> session = EnvFile.read(dir.resolve("session.env"));
        assertThat(jwt.get("JWT_SECRET")).matches("[0-9a-f]{64}").isNotEqualTo(JWT);
        assertThat(session.get("SESSION_SECRET")).matches("[0-9a-f]{64}").isNotEqualTo(SESSION);
        assertThat(jwt.get("JWT_SECRET_PREVIOUS")).isEmpty();
        assertThat(session.get("SESSION_SECRET_PREVIOUS")).isEmpty();
        assertThat(api.report(parent).get("exposure").get("start").asText()).isEqualTo("2026-12-02T10:00:00Z");

        // PagerDuty redelivers: nothing new starts.
        HttpResponse<String> again = deliver(body, "v1=" + hmac(WEBHOOK_SECRET, body));
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(JSON.readTree(again.body()).get("duplicate").asBoolean()).isTrue();
        List<String> all = new java.util.ArrayList<>();
        api.list().forEach(r -> all.add(r.get("secretId").asText()));
        assertThat(all).containsExactlyInAnyOrder("jwt-secret", "session-secret");

        // On-call's side of the loop, per rotation, as the notifier sends it.
        Map<String, Milestone> parentMilestones = milestones(parent);
        Map<String, Milestone> childMilestones = milestones(child);
        // Every milestone of the child names its parent; the parent's name none.
        assertThat(childMilestones.values()).extracting(m -> String.valueOf(m.event().parentId()))
                .containsOnly(parent);
        assertThat(parentMilestones.values()).allMatch(m -> m.event().parentId() == null);
        String childReason = "related to jwt-secret (rotation " + parent + "): " + REASON;
        pagedThenResolved(parent, "jwt-secret", REASON, parentMilestones);
        pagedThenResolved(child, "session-secret", childReason, childMilestones);
        oneSlackMessageUpdatedToCompleted(parent, "jwt-secret", REASON, null, parentMilestones);
        oneSlackMessageUpdatedToCompleted(child, "session-secret", childReason, parent, childMilestones);
        List<MimeMessage> parentMails = mailedToOnCall(parent, "jwt-secret", REASON, parentMilestones);
        List<MimeMessage> childMails = mailedToOnCall(child, "session-secret", childReason, childMilestones);
        // The app's users: one relogin notice, for session-secret (jwt-secret's entry has no user-notice).
        List<LoggedRequest> notices = receivers.requests(OnCallReceivers.NOTICE_PATH);
        assertThat(notices).hasSize(1);
        assertThat(notices.get(0).getHeader("Content-Type")).startsWith("application/json");
        assertThat(JSON.readTree(notices.get(0).getBodyAsString())).isEqualTo(JSON.readTree("""
                {"type": "user-notice", "template": "relogin", "secretId": "session-secret", "rotationId": "%s",
                 "message": "Please sign in again. To keep your account safe, we renewed the keys that protect your \
                sessions, so you have been signed out."}
                """.formatted(child)));

        // Nothing anyone received or logged holds a secret value, the webhook secret or a channel secret (apart from
        // the routing key in PagerDuty's own body and the bot token in Slack's Authorization header, where they go).
        List<String> values = new java.util.ArrayList<>();
        for (String value : List.of(JWT, SESSION, jwt.get("JWT_SECRET"), session.get("SESSION_SECRET"))) {
            values.addAll(LeakForms.of(value));
        }
        List<String> channelSecrets = receivers.secrets();
        String logs = system.allLogs();
        assertThat(logs).doesNotContain(WEBHOOK_SECRET);
        for (String leak : concat(values, channelSecrets)) {
            assertThat(logs).as("the services' logs").doesNotContain(leak);
        }
        for (ServeEvent event : receivers.wiremock.getAllServeEvents()) {
            LoggedRequest r = event.getRequest();
            String received = r.getBodyAsString();
            for (String leak : concat(values, List.of(WEBHOOK_SECRET, receivers.botToken, receivers.smtpPassword,
                    receivers.noticeSignature))) {
                assertThat(received).as(r.getUrl()).doesNotContain(leak);
            }
            if (!r.getUrl().startsWith("/v2/enqueue")) {
                assertThat(received).as(r.getUrl()).doesNotContain(receivers.routingKey);
            }
        }
        for (MimeMessage mail : concat(parentMails, childMails)) {
            String text = part(mail, "text/plain") + part(mail, "text/html") + mail.getSubject();
            for (String leak : concat(concat(values, channelSecrets), List.of(WEBHOOK_SECRET))) {
                assertThat(text).as(mail.getSubject()).doesNotContain(leak);
            }
        }
        for (HttpResponse<String> r : List.of(forged, first, again)) {
            assertThat(r.body()).doesNotContain(WEBHOOK_SECRET);
        }
    }

    /** A published milestone: its event and its CloudEvent time, which every channel shows. */
    record Milestone(RotationEvent event, String time) {
    }

    /** One rotation's distinct milestones by wire name, once the rotation has published all of them. */
    private static Map<String, Milestone> milestones(String rotation) {
        await().atMost(Duration.ofSeconds(30)).until(() -> topics.distinctMilestones(rotation).size() >= 4);
        assertThat(topics.distinctMilestones(rotation)).containsExactlyElementsOf(MILESTONES);
        Map<String, Milestone> out = new HashMap<>();
        for (TopicReader.Rec r : topics.readAll(Set.of("rotor.rotations"))) {
            if (rotation.equals(r.key())) {
                out.put(r.type().replace("dev.rotor.", "").replace(".v1", ""), new Milestone(
                        (RotationEvent) MessageCodec.decode(r.type(), r.value()),
                        KafkaEnvelope.header(r.headers(), CloudEvents.TIME)));
            }
        }
        return out;
    }

    /** PagerDuty: the start of the emergency triggers, completion resolves, both with the rotation id as dedup_key. */
    private static void pagedThenResolved(String rotation, String secret, String reason,
            Map<String, Milestone> milestones) throws Exception {
        List<LoggedRequest> pd = awaitRequests("/v2/enqueue", "\"dedup_key\":\"" + rotation + "\"", 2);
        assertThat(JSON.readTree(pd.get(0).getBodyAsString())).isEqualTo(JSON.readTree("""
                {"routing_key": "%1$s", "event_action": "trigger", "dedup_key": "%2$s",
                 "payload": {"summary": "URGENT: Rotation requested for %3$s (EMERGENCY): %4$s",
                   "source": "rotor", "severity": "critical", "timestamp": "%5$s", "component": "%3$s",
                   "group": "secret-rotation", "class": "rotation-requested",
                   "custom_details": {"rotation": "%2$s", "secret": "%3$s", "trigger": "EMERGENCY",
                     "milestone": "rotation-requested", "reason": "%4$s",
                     "detail": "strategy immediate, requested by pagerduty:Q1SYSTEM"}},
                 "client": "Rotor", "client_url": "%6$s%2$s",
                 "links": [{"href": "%6$s%2$s", "text": "Rotation"},
                           {"href": "%6$s%2$s/report", "text": "Rotation report"}]}
                """.formatted(receivers.routingKey, rotation, secret, reason,
                milestones.get("rotation-requested").time(), LINKS)));
        assertThat(JSON.readTree(pd.get(1).getBodyAsString())).isEqualTo(JSON.readTree("""
                {"routing_key": "%s", "event_action": "resolve", "dedup_key": "%s"}
                """.formatted(receivers.routingKey, rotation)));
    }

    /**
     * Slack in bot mode: the first milestone is posted, each later one rewrites that message (its {@code ts}), the
     * last one to COMPLETED with no buttons left. A child's message says which rotation started it ({@code parent}).
     */
    private static void oneSlackMessageUpdatedToCompleted(String rotation, String secret, String reason,
            String parent, Map<String, Milestone> milestones) throws Exception {
        String startedBy = parent == null ? ""
                : ", {\"type\": \"mrkdwn\", \"text\": \"*Started by*\\nrotation `" + parent + "`\"}";
        List<LoggedRequest> slack = awaitRequests("/api/chat.", "rotation " + rotation + " · ", MILESTONES.size());
        assertThat(slack).extracting(LoggedRequest::getUrl).containsExactly("/api/chat.postMessage",
                "/api/chat.update", "/api/chat.update", "/api/chat.update");
        assertThat(slack).extracting(r -> r.getHeader("Authorization")).containsOnly("Bearer " + receivers.botToken);
        assertThat(JSON.readTree(slack.get(0).getBodyAsString())).isEqualTo(JSON.readTree("""
                {"channel": "C0ROTOR",
                 "text": "URGENT: Rotation requested for %1$s (EMERGENCY): %2$s",
                 "blocks": [
                   {"type": "header", "text": {"type": "plain_text", "text": ":rotating_light: URGENT", "emoji": true}},
                   {"type": "section", "text": {"type": "mrkdwn",
                     "text": ":hourglass_flowing_sand: *Rotation requested* for `%1$s`"}},
                   {"type": "section", "fields": [
                     {"type": "mrkdwn", "text": "*Secret*\\n`%1$s`"},
                     {"type": "mrkdwn", "text": "*Trigger*\\nEMERGENCY"},
                     {"type": "mrkdwn", "text": "*Step*\\nrotation-requested"},
                     {"type": "mrkdwn", "text": "*Reason*\\n%2$s"}%5$s]},
                   {"type": "section", "text": {"type": "mrkdwn",
                     "text": "strategy immediate, requested by pagerduty:Q1SYSTEM"}},
                   {"type": "context", "elements": [{"type": "mrkdwn", "text": "rotation %3$s · %4$s"}]},
                   {"type": "actions", "block_id": "rotor-actions", "elements": [
                     {"type": "button", "action_id": "rotor-abort", "style": "danger",
                      "text": {"type": "plain_text", "text": "Abort", "emoji": true}, "value": "%3$s",
                      "confirm": {"title": {"type": "plain_text", "text": "Abort this rotation?", "emoji": true},
                        "text": {"type": "mrkdwn",
                          "text": "The rotation of `%1$s` stops and its completed steps are undone."},
                        "confirm": {"type": "plain_text", "text": "Abort", "emoji": true},
                        "deny": {"type": "plain_text", "text": "Keep it running", "emoji": true},
                        "style": "danger"}}]}]}
                """.formatted(secret, reason, rotation, milestones.get("rotation-requested").time(), startedBy)));
        for (int i = 1; i < MILESTONES.size(); i++) {
            JsonNode update = JSON.readTree(slack.get(i).getBodyAsString());
            assertThat(update.get("channel").asText()).isEqualTo(OnCallReceivers.SLACK_CHANNEL);
            assertThat(update.get("ts").asText()).isEqualTo(receivers.ts(secret));
            assertThat(update.get("text").asText()).isEqualTo("URGENT: " + TITLES.get(MILESTONES.get(i)) + " for "
                    + secret + " (EMERGENCY): " + reason);
        }
        RotationCompleted done = (RotationCompleted) milestones.get("rotation-completed").event();
        String versions = done.fromVersion() == null ? "v" + done.toVersion()
                : "v" + done.fromVersion() + " → v" + done.toVersion();
        assertThat(JSON.readTree(slack.get(3).getBodyAsString())).isEqualTo(JSON.readTree("""
                {"channel": "C0ROTOR", "ts": "%5$s",
                 "text": "URGENT: Rotation completed for %1$s (EMERGENCY): %2$s",
                 "blocks": [
                   {"type": "header", "text": {"type": "plain_text", "text": ":rotating_light: URGENT", "emoji": true}},
                   {"type": "section", "text": {"type": "mrkdwn",
                     "text": ":white_check_mark: *Rotation completed* for `%1$s`"}},
                   {"type": "section", "fields": [
                     {"type": "mrkdwn", "text": "*Secret*\\n`%1$s`"},
                     {"type": "mrkdwn", "text": "*Trigger*\\nEMERGENCY"},
                     {"type": "mrkdwn", "text": "*Step*\\nrotation-completed"},
                     {"type": "mrkdwn", "text": "*Reason*\\n%2$s"},
                     {"type": "mrkdwn", "text": "*Versions*\\n%6$s"}%7$s]},
                   {"type": "context", "elements": [{"type": "mrkdwn", "text": "rotation %3$s · %4$s"}]}]}
                """.formatted(secret, reason, rotation, milestones.get("rotation-completed").time(),
                receivers.ts(secret), versions, startedBy)));
    }

    /** E-mail: one message per milestone to on-call, read back from GreenMail. */
    private static List<MimeMessage> mailedToOnCall(String rotation, String secret, String reason,
            Map<String, Milestone> milestones) throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> mails(rotation).size() >= MILESTONES.size());
        List<MimeMessage> mails = mails(rotation);
        assertThat(mails).extracting(IncidentSystemTest::subject).containsExactlyInAnyOrderElementsOf(MILESTONES
                .stream().map(m -> "[Rotor] URGENT: " + TITLES.get(m) + " for " + secret + " (EMERGENCY)").toList());
        for (MimeMessage mail : mails) {
            assertThat(Arrays.stream(mail.getRecipients(RecipientType.TO))
                    .map(a -> ((InternetAddress) a).getAddress())).containsExactly("oncall@example.com");
            assertThat(((InternetAddress) mail.getFrom()[0]).getAddress()).isEqualTo("rotor@example.com");
        }
        MimeMessage requested = mails.stream().filter(m -> subject(m).contains("Rotation requested"))
                .findFirst().orElseThrow();
        assertThat(part(requested, "text/plain")).isEqualTo("""
                URGENT: Rotation requested for %1$s (EMERGENCY)

                Secret:    %1$s
                Trigger:   EMERGENCY
                Step:      rotation-requested
                Reason:    %2$s
                Rotation:  %3$s
                Time:      %4$s

                strategy immediate, requested by pagerduty:Q1SYSTEM

                Open the rotation: %5$s%3$s
                Its report:        %5$s%3$s/report

                --\s
                Rotor, secret rotation. You get this because the catalog lists this address for the secret's \
                notifications.""".formatted(secret, reason, rotation, milestones.get("rotation-requested").time(),
                LINKS));
        assertThat(part(requested, "text/html")).contains("<h2>Rotation requested for <code>" + secret
                + "</code></h2>", "<code>" + rotation + "</code>");
        return mails;
    }

    /**
     * The requests whose URL starts with {@code url} and whose body holds {@code mark} (how that channel names the
     * rotation: a child's reason names its parent's id too), exactly {@code count}.
     */
    private static List<LoggedRequest> awaitRequests(String url, String mark, int count) {
        await().atMost(Duration.ofSeconds(30)).until(() -> requests(url, mark).size() >= count);
        List<LoggedRequest> found = requests(url, mark);
        assertThat(found).hasSize(count);
        return found;
    }

    private static List<LoggedRequest> requests(String url, String mark) {
        return receivers.requests(url).stream().filter(r -> r.getBodyAsString().contains(mark)).toList();
    }

    private static List<MimeMessage> mails(String rotation) {
        return Arrays.stream(receivers.greenMail.getReceivedMessages())
                .filter(m -> part(m, "text/plain").contains("\nRotation:  " + rotation + "\n")).toList();
    }

    /** The decoded text of the message's part of this type, with SMTP's CRLF line ends made LF again. */
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
        throw new AssertionError("no " + type + " part");
    }

    private static String subject(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (Exception e) {
            throw new AssertionError("unreadable message", e);
        }
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static HttpResponse<String> deliver(String body, String signature) throws Exception {
        URI uri = system.service("orchestrator").url("/api/incidents/pagerduty");
        return HTTP.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .header("X-PagerDuty-Signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** As PagerDuty signs: hex HMAC-SHA256 of the raw body. */
    private static String hmac(String secret, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }
}

package dev.rotor.orchestrator.it;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.restassured.RestAssured;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.awaitility.Awaitility;

/**
 * The test as Slack: form bodies shaped as Slack sends them (with Slack's legacy verification {@code token}, which
 * Rotor must ignore and never repeat), signed with its own HMAC code (not Rotor's, so the scheme is checked rather
 * than echoed), each with a fresh {@code response_url} on WireMock.
 */
final class SlackClient {
    static final String LEGACY_TOKEN = "xyzz0WbapA4vBCDEF" + UUID.randomUUID().toString().replace("-", "");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger SEQ = new AtomicInteger();
    private final HttpClient http = HttpClient.newHttpClient();
    private final SlackResource.SlackSide slack;

    SlackClient(SlackResource.SlackSide slack) {
        this.slack = slack;
    }

    /** A request as sent: where its answer goes (a path on WireMock), and what the orchestrator answered at once. */
    record Sent(String responsePath, HttpResponse<String> http, String body, String timestamp, String signature) {
    }

    Sent command(String user, String text) {
        String responsePath = responsePath();
        String body = "token=" + LEGACY_TOKEN + "&team_id=T0ROTOR&team_domain=rotor&channel_id=C0OPS"
                + "&channel_name=ops&user_id=" + user + "&user_name=someone&command=%2Frotor&text=" + enc(text)
                + "&response_url=" + enc(responseUrl(responsePath)) + "&trigger_id=398738663015.47445629121.abc";
        String ts = String.valueOf(Instant.now().getEpochSecond());
        return send("/slack/commands", responsePath, body, ts, sign(slack.signingSecret(), ts, body));
    }

    Sent button(String user, String actionId, String rotationId) {
        String responsePath = responsePath();
        String payload = """
                {"type":"block_actions","user":{"id":"%s","username":"someone","team_id":"T0ROTOR"},
                 "api_app_id":"A0ROTOR","token":"%s","container":{"type":"message","message_ts":"1700000000.000100"},
                 "trigger_id":"1.2.3","team":{"id":"T0ROTOR","domain":"rotor"},"response_url":"%s",
                 "actions":[{"action_id":"%s","block_id":"rotor-actions","text":{"type":"plain_text","text":"x"},
                   "value":"%s","type":"button","action_ts":"1700000001.000200"}]}
                """.formatted(user, LEGACY_TOKEN, responseUrl(responsePath), actionId, rotationId);
        String body = "payload=" + enc(payload);
        String ts = String.valueOf(Instant.now().getEpochSecond());
        return send("/slack/interactions", responsePath, body, ts, sign(slack.signingSecret(), ts, body));
    }

    Sent send(String path, String responsePath, String body, String ts, String signature) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + RestAssured.port + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (ts != null) {
            request.header("X-Slack-Request-Timestamp", ts);
        }
        if (signature != null) {
            request.header("X-Slack-Signature", signature);
        }
        try {
            return new Sent(responsePath, http.send(request.build(), HttpResponse.BodyHandlers.ofString()), body, ts,
                    signature);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The one answer posted to the request's response_url, as JSON. */
    JsonNode reply(Sent sent) {
        List<LoggedRequest> posted = Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> replies(sent), r -> !r.isEmpty());
        try {
            return JSON.readTree(posted.get(0).getBodyAsString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    List<LoggedRequest> replies(Sent sent) {
        return slack.wiremock().findAll(postRequestedFor(urlEqualTo(sent.responsePath())));
    }

    List<LoggedRequest> allReplies() {
        return slack.wiremock().findAll(postRequestedFor(com.github.tomakehurst.wiremock.client.WireMock
                .urlPathMatching("/commands/.*")));
    }

    static String sign(String secret, String ts, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "v0=" + HexFormat.of().formatHex(mac.doFinal(("v0:" + ts + ":" + body)
                    .getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String responsePath() {
        return "/commands/T0ROTOR/" + SEQ.incrementAndGet() + "/" + UUID.randomUUID().toString().replace("-", "");
    }

    String responseUrl(String path) {
        return slack.wiremock().baseUrl().replace("localhost", "127.0.0.1") + path;
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}

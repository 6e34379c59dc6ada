package dev.rotor.systemtests;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.common.ConsoleNotifier;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * On-call's side of the loop, for real, in this JVM: WireMock answers as the PagerDuty Events API v2, Slack's Web API
 * (bot mode) and the app's user-notice webhook; GreenMail is the SMTP server, with a login. The channel secrets
 * (routing key, bot token, SMTP password, the signed hook URL) are fresh per run and reach the notifier only through
 * its environment, under the names the catalog gives, so a test can look for them where they must never be.
 */
final class OnCallReceivers implements AutoCloseable {
    static final String SLACK_CHANNEL = "C0ROTOR";
    static final String NOTICE_PATH = "/app/user-notices";

    final WireMockServer wiremock;
    final GreenMail greenMail;
    final String routingKey = "pd-routing-" + UUID.randomUUID().toString().replace("-", "");
    final String botToken = "xoxb-system-" + UUID.randomUUID();
    final String smtpPassword = "smtp-" + UUID.randomUUID();
    final String noticeSignature = UUID.randomUUID().toString();
    private final Map<String, String> slackTs = new HashMap<>();

    /** {@code secretIds} each get their own Slack {@code ts}, so an update can be traced to its post. */
    OnCallReceivers(List<String> secretIds) {
        wiremock = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1")
                .notifier(new ConsoleNotifier(false)));
        wiremock.start();
        wiremock.stubFor(post(urlEqualTo("/v2/enqueue")).willReturn(aResponse().withStatus(202)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"status\":\"success\",\"message\":\"Event processed\"}")));
        for (int i = 0; i < secretIds.size(); i++) {
            String secret = secretIds.get(i);
            String ts = "1700000000.00010" + (i + 1);
            slackTs.put(secret, ts);
            for (String method : List.of("/api/chat.postMessage", "/api/chat.update")) {
                wiremock.stubFor(post(urlEqualTo(method))
                        .withRequestBody(matchingJsonPath("$.text", containing(" for " + secret + " (")))
                        .willReturn(okJson("{\"ok\":true,\"channel\":\"" + SLACK_CHANNEL + "\",\"ts\":\"" + ts
                                + "\"}")));
            }
        }
        wiremock.stubFor(post(urlPathEqualTo(NOTICE_PATH)).willReturn(aResponse().withStatus(204)));
        greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort())
                .withConfiguration(GreenMailConfiguration.aConfig().withUser("rotor@example.com", "rotor",
                        smtpPassword));
        greenMail.start();
    }

    /** The Slack message timestamp this receiver gives a secret's rotation. */
    String ts(String secretId) {
        return slackTs.get(secretId);
    }

    String noticeUrl() {
        return "http://127.0.0.1:" + wiremock.port() + NOTICE_PATH + "?sig=" + noticeSignature;
    }

    /**
     * The notifier's environment: the endpoints, and the secrets under the names the catalog gives
     * ({@code routing-key-env}, {@code token-env}, {@code url-env}); SMTP as the standard mailer settings.
     */
    Map<String, String> notifierEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("ROTOR_NOTIFIER_PAGERDUTY_EVENTS_URL", "http://127.0.0.1:" + wiremock.port() + "/v2/enqueue");
        env.put("ROTOR_NOTIFIER_SLACK_API_URL", "http://127.0.0.1:" + wiremock.port() + "/api");
        env.put("PAGERDUTY_ROUTING_KEY", routingKey);
        env.put("SLACK_BOT_TOKEN", botToken);
        env.put("APP_USER_NOTICE_URL", noticeUrl());
        env.put("QUARKUS_MAILER_HOST", "127.0.0.1");
        env.put("QUARKUS_MAILER_PORT", String.valueOf(greenMail.getSmtp().getPort()));
        env.put("QUARKUS_MAILER_USERNAME", "rotor");
        env.put("QUARKUS_MAILER_PASSWORD", smtpPassword);
        env.put("QUARKUS_MAILER_LOGIN", "REQUIRED");
        env.put("QUARKUS_MAILER_START_TLS", "DISABLED");
        env.put("ROTOR_MAIL_FROM", "rotor@example.com");
        return env;
    }

    /** The channel secrets: none may appear in a log line, and each only where its own receiver needs it. */
    List<String> secrets() {
        return List.of(routingKey, botToken, smtpPassword, noticeSignature);
    }

    /** Every request received whose URL starts with {@code url}, oldest first. */
    List<LoggedRequest> requests(String url) {
        List<ServeEvent> events = new ArrayList<>(wiremock.getAllServeEvents());
        Collections.reverse(events);
        return events.stream().map(ServeEvent::getRequest).filter(r -> r.getUrl().startsWith(url)).toList();
    }

    @Override
    public void close() {
        greenMail.stop();
        wiremock.stop();
    }
}

package dev.rotor.notifier.consume;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.common.ConsoleNotifier;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The outside services of the PagerDuty, Teams, Slack bot and e-mail channels, for real: WireMock answers as the
 * PagerDuty Events API v2, a Teams Workflows URL and Slack's Web API; GreenMail is the SMTP server, with a login. The
 * secrets (routing key, bot token, Teams URL, SMTP password) are fresh per run and reach the notifier only as the
 * variables the test catalog names, so a test can look for them where they must never be.
 */
public class ChannelReceiversResource implements QuarkusTestResourceLifecycleManager {
    static final String SLACK_TS = "1700000000.000100";
    static final String SLACK_CONVERSATION = "C0ROTOR";
    /** Where the app's user-notice webhook points on WireMock (its URL carries a signature, like a real one). */
    static final String APP_HOOK_PATH = "/app/user-notices";

    private WireMockServer wiremock;
    private GreenMail greenMail;
    private Secrets secrets;

    @Override
    public Map<String, String> start() {
        // Its notices go to the console, not the log manager: the notifier's log file holds the notifier's lines only.
        wiremock = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1")
                .notifier(new ConsoleNotifier(false)));
        wiremock.start();
        wiremock.stubFor(post(urlEqualTo("/v2/enqueue")).willReturn(aResponse().withStatus(202)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"status\":\"success\",\"message\":\"Event processed\"}")));
        wiremock.stubFor(post(urlEqualTo("/api/chat.postMessage")).willReturn(okJson(
                "{\"ok\":true,\"channel\":\"" + SLACK_CONVERSATION + "\",\"ts\":\"" + SLACK_TS + "\"}")));
        wiremock.stubFor(post(urlEqualTo("/api/chat.update")).willReturn(okJson(
                "{\"ok\":true,\"channel\":\"" + SLACK_CONVERSATION + "\",\"ts\":\"" + SLACK_TS + "\"}")));
        String teamsPath = "/workflows/" + UUID.randomUUID();
        wiremock.stubFor(post(urlPathEqualTo(teamsPath)).willReturn(aResponse().withStatus(202)));
        wiremock.stubFor(post(urlPathEqualTo(APP_HOOK_PATH)).willReturn(aResponse().withStatus(204)));
        secrets = new Secrets("pd-routing-" + UUID.randomUUID().toString().replace("-", ""),
                "xoxb-test-" + UUID.randomUUID(),
                "http://127.0.0.1:" + wiremock.port() + teamsPath + "?sig=" + UUID.randomUUID(), teamsPath,
                "smtp-" + UUID.randomUUID(),
                "http://127.0.0.1:" + wiremock.port() + APP_HOOK_PATH + "?sig=" + UUID.randomUUID());

        greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort())
                .withConfiguration(GreenMailConfiguration.aConfig().withUser("rotor@example.com", "rotor",
                        secrets.smtpPassword()));
        greenMail.start();
        return Map.ofEntries(
                Map.entry("rotor.notifier.pagerduty.events-url", "http://127.0.0.1:" + wiremock.port() + "/v2/enqueue"),
                Map.entry("rotor.notifier.slack.api-url", "http://127.0.0.1:" + wiremock.port() + "/api"),
                Map.entry("ROTOR_TEST_PD_ROUTING_KEY", secrets.routingKey()),
                Map.entry("ROTOR_TEST_SLACK_BOT_TOKEN", secrets.slackToken()),
                Map.entry("ROTOR_TEST_TEAMS_URL", secrets.teamsUrl()),
                Map.entry("ROTOR_TEST_APP_HOOK_URL", secrets.appHookUrl()),
                Map.entry("quarkus.mailer.host", "127.0.0.1"),
                Map.entry("quarkus.mailer.port", String.valueOf(greenMail.getSmtp().getPort())),
                Map.entry("quarkus.mailer.username", "rotor"),
                Map.entry("quarkus.mailer.password", secrets.smtpPassword()),
                Map.entry("quarkus.mailer.login", "REQUIRED"),
                Map.entry("quarkus.mailer.start-tls", "DISABLED"),
                Map.entry("quarkus.mailer.from", "rotor@example.com"));
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(new ChannelReceivers(wiremock, greenMail, secrets),
                new TestInjector.MatchesType(ChannelReceivers.class));
    }

    @Override
    public void stop() {
        if (greenMail != null) {
            greenMail.stop();
        }
        if (wiremock != null) {
            wiremock.stop();
        }
    }

    /** The secrets given to the notifier; {@code teamsPath} is where the Teams URL points on WireMock. */
    public record Secrets(String routingKey, String slackToken, String teamsUrl, String teamsPath,
            String smtpPassword, String appHookUrl) {
        public List<String> all() {
            return List.of(routingKey, slackToken, teamsUrl, teamsPath.substring(teamsPath.lastIndexOf('/') + 1),
                    teamsUrl.substring(teamsUrl.indexOf("sig=") + 4), smtpPassword, appHookUrl,
                    appHookUrl.substring(appHookUrl.indexOf("sig=") + 4));
        }
    }

    /** What a test sees of the receivers. */
    public record ChannelReceivers(WireMockServer wiremock, GreenMail greenMail, Secrets secrets) {
    }
}

package dev.rotor.orchestrator.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.common.ConsoleNotifier;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;
import java.util.UUID;

/**
 * Slack's side of chat-ops: a fresh signing secret per run, the Slack users the test acts as, and WireMock as the
 * {@code response_url} receiver (Slack answers 200 "ok" to a response_url post).
 */
public class SlackResource implements QuarkusTestResourceLifecycleManager {
    static final String OPERATOR = "U0OPERATOR";
    static final String VIEWER = "U0VIEWER";
    static final String RESPONDER = "U0RESPONDER";
    static final String APPROVER = "U0APPROVER";
    /** Approver and responder: may approve in general, so the requester rule is what refuses their own. */
    static final String LEAD = "U0LEAD";
    static final String UNMAPPED = "U0NOBODY";

    private WireMockServer wiremock;
    private String signingSecret;

    @Override
    public Map<String, String> start() {
        wiremock = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1")
                .notifier(new ConsoleNotifier(false)));
        wiremock.start();
        wiremock.stubFor(post(urlPathMatching("/commands/.*")).willReturn(aResponse().withStatus(200).withBody("ok")));
        signingSecret = "slack-signing-" + UUID.randomUUID().toString().replace("-", "");
        return Map.of(
                "rotor.slack.signing-secret", signingSecret,
                "rotor.slack.users", OPERATOR + "=operator," + VIEWER + "=viewer," + RESPONDER + "=responder,"
                        + APPROVER + "=approver," + LEAD + "=approver+responder",
                "rotor.slack.response-url-prefixes", "http://127.0.0.1:" + wiremock.port() + "/commands/");
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(new SlackSide(wiremock, signingSecret),
                new TestInjector.MatchesType(SlackSide.class));
    }

    @Override
    public void stop() {
        if (wiremock != null) {
            wiremock.stop();
        }
    }

    /** What a test sees: the response_url receiver and the signing secret it signs with. */
    public record SlackSide(WireMockServer wiremock, String signingSecret) {
    }
}

package dev.rotor.orchestrator.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.responsetemplating.ResponseTemplateTransformer;
import dev.rotor.local.auth.TestAuth;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The outside party of OidcLoginTest: a WireMock OpenID Connect provider. Its authorization endpoint signs the browser
 * in at once (a 302 back to the redirect_uri with a code and the state it was given); its token endpoint answers the
 * code with an access token from the tests' issuer, the one the orchestrator trusts, for a viewer "sso-alice".
 */
public class OidcProviderResource implements QuarkusTestResourceLifecycleManager {
    static final String CLIENT_ID = "rotor-dashboard";
    static final String CLIENT_SECRET = "oidc-client-secret-5f1c";
    static final String CODE = "code-7d2e";
    static volatile WireMockServer wiremock;
    static volatile String accessToken;

    @Override
    public Map<String, String> start() {
        wiremock = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1")
                .templatingEnabled(true).globalTemplating(false));
        wiremock.start();
        accessToken = TestAuth.issuer().mint("sso-alice", List.of("viewer"), Duration.ofMinutes(30));
        wiremock.stubFor(get(urlPathEqualTo("/authorize")).willReturn(aResponse().withStatus(302)
                .withHeader("Location", "{{request.query.redirect_uri}}?code=" + CODE
                        + "&state={{request.query.state}}")
                .withTransformers(ResponseTemplateTransformer.NAME)));
        wiremock.stubFor(post(urlPathEqualTo("/token")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"access_token\":\"" + accessToken + "\",\"token_type\":\"Bearer\",\"expires_in\":1800}")));
        String base = "http://127.0.0.1:" + wiremock.port();
        return Map.of("rotor.dashboard.oidc.authorization-url", base + "/authorize",
                "rotor.dashboard.oidc.token-url", base + "/token",
                "rotor.dashboard.oidc.client-id", CLIENT_ID,
                "rotor.dashboard.oidc.client-secret", CLIENT_SECRET,
                "rotor.dashboard.oidc.name", "Acme SSO");
    }

    @Override
    public void stop() {
        if (wiremock != null) {
            wiremock.stop();
        }
    }
}

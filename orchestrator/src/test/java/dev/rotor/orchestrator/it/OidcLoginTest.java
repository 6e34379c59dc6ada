package dev.rotor.orchestrator.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.rotor.local.KafkaResource;
import dev.rotor.local.PostgresResource;
import dev.rotor.local.auth.AuthResource;
import dev.rotor.orchestrator.dashboard.DashboardSession;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;

/**
 * Signing in to the dashboard through an OpenID Connect provider (a WireMock one), in a real headless Chromium: the
 * authorization code flow with PKCE and a state, and what is refused.
 */
@QuarkusTest
@QuarkusTestResource(AuthResource.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "orchestrator"))
@QuarkusTestResource(OidcProviderResource.class)
class OidcLoginTest {
    private static Browser browser;

    @TestHTTPResource("/")
    URI base;

    @BeforeAll
    static void chromium() {
        browser = Browser.forTest("OidcLoginTest");
    }

    @AfterAll
    static void quit() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void aViewerSignsInThroughTheProviderWithTheCodeFlowAndPkce() throws Exception {
        browser.driver.manage().deleteAllCookies();
        browser.driver.get(base.resolve("login?next=/rotations").toString());
        assertThat(browser.driver.findElement(By.id("sso")).getText()).isEqualTo("sign in with Acme SSO");
        browser.driver.findElement(By.id("sso")).click();
        browser.waiting(20).until(d -> URI.create(d.getCurrentUrl()).getPath().equals("/rotations"));
        browser.screenshot("oidc-01-signed-in");
        // Signed in as the provider's user: the viewer's page, with no buttons.
        assertThat(browser.driver.findElements(By.cssSelector("button[value=abort]"))).isEmpty();
        Cookie session = browser.driver.manage().getCookieNamed(DashboardSession.COOKIE);
        assertThat(session).isNotNull();
        assertThat(session.getValue()).isEqualTo(OidcProviderResource.accessToken);
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(browser.driver.manage().getCookieNamed("rotor_oidc")).isNull();

        // The browser asked for a code with a state and an S256 challenge...
        List<LoggedRequest> authorize = OidcProviderResource.wiremock.findAll(getRequestedFor(
                urlPathEqualTo("/authorize")));
        assertThat(authorize).hasSize(1);
        Map<String, String> asked = query(authorize.get(0).getUrl());
        assertThat(asked).containsEntry("response_type", "code").containsEntry("client_id", "rotor-dashboard")
                .containsEntry("scope", "openid").containsEntry("code_challenge_method", "S256")
                .containsEntry("redirect_uri", base.resolve("login/callback").toString());
        assertThat(asked.get("state")).hasSizeGreaterThanOrEqualTo(32);
        // ...and the server exchanged it with the verifier of that challenge, as the confidential client it is.
        List<LoggedRequest> token = OidcProviderResource.wiremock.findAll(postRequestedFor(urlPathEqualTo("/token"))
                .withRequestBody(containing("code=" + OidcProviderResource.CODE)));
        assertThat(token).hasSize(1);
        Map<String, String> exchanged = query("?" + token.get(0).getBodyAsString());
        assertThat(exchanged).containsEntry("grant_type", "authorization_code")
                .containsEntry("code", OidcProviderResource.CODE)
                .containsEntry("redirect_uri", base.resolve("login/callback").toString())
                .doesNotContainKey("client_id");
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
                .digest(exchanged.get("code_verifier").getBytes(StandardCharsets.US_ASCII)));
        assertThat(challenge).isEqualTo(asked.get("code_challenge"));
        assertThat(token.get(0).getHeader("Authorization")).isEqualTo("Basic " + Base64.getEncoder()
                .encodeToString(("rotor-dashboard:" + OidcProviderResource.CLIENT_SECRET)
                        .getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aCallbackThatThisBrowserDidNotStartOrThatTheProviderRefusedSignsNobodyIn() {
        String next = Base64.getUrlEncoder().withoutPadding().encodeToString("/".getBytes(StandardCharsets.UTF_8));
        // No sign-in started: no cookie.
        given().redirects().follow(false).get("/login/callback?code=x&state=abc").then().statusCode(400)
                .header("Set-Cookie", not(containsString(DashboardSession.COOKIE + "=ey")))
                .body(containsString("This sign-in was not started here"));
        // Another state than the one this browser left with (a forged callback).
        given().redirects().follow(false).cookie("rotor_oidc", "started-state.verifier." + next)
                .get("/login/callback?code=x&state=forged-state").then().statusCode(400)
                .body(containsString("This sign-in was not started here"));
        // The provider said no.
        given().redirects().follow(false).cookie("rotor_oidc", "s1.verifier." + next)
                .get("/login/callback?error=access_denied&state=s1").then().statusCode(401)
                .body(containsString("The identity provider did not sign you in (access_denied)."));
        // The token endpoint fails: its body, which could hold anything, is not shown.
        OidcProviderResource.wiremock.stubFor(post(urlPathEqualTo("/token"))
                .withRequestBody(containing("code=broken")).willReturn(aResponse().withStatus(500)
                        .withBody("client_secret=" + OidcProviderResource.CLIENT_SECRET)));
        given().redirects().follow(false).cookie("rotor_oidc", "s2.verifier." + next)
                .get("/login/callback?code=broken&state=s2").then().statusCode(502)
                .body(containsString("token endpoint answered 500."))
                .body(not(containsString(OidcProviderResource.CLIENT_SECRET)));
    }

    private static Map<String, String> query(String url) {
        String q = url.substring(url.indexOf('?') + 1);
        return java.util.Arrays.stream(q.split("&")).map(p -> p.split("=", 2)).collect(Collectors.toMap(
                p -> URLDecoder.decode(p[0], StandardCharsets.UTF_8),
                p -> p.length > 1 ? URLDecoder.decode(p[1], StandardCharsets.UTF_8) : ""));
    }
}

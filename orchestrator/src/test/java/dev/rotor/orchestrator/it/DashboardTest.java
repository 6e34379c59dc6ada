package dev.rotor.orchestrator.it;

import static dev.rotor.contracts.messages.Direction.COMPENSATE;
import static dev.rotor.contracts.messages.Direction.FORWARD;
import static dev.rotor.contracts.messages.Step.REENCRYPT;
import static dev.rotor.contracts.messages.Step.STAGE_SECRET;
import static dev.rotor.contracts.messages.Step.UPDATE_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.contracts.messages.StepRequested;
import dev.rotor.local.KafkaResource;
import dev.rotor.local.PostgresResource;
import dev.rotor.local.auth.AuthResource;
import dev.rotor.local.auth.LocalAuth;
import dev.rotor.local.auth.TestAuth;
import dev.rotor.orchestrator.dashboard.DashboardSession;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The dashboard in a real headless Chromium (Debian's chromium and chromium-driver, which {@code .ci/run} installs),
 * against the orchestrator on the embedded Kafka broker and PostgreSQL; the test answers as the workers do, on
 * {@code rotor.step-results}. Screenshots stay in {@code target/dashboard-screenshots}. Skipped, saying so, only
 * where Chromium or its driver is not installed, and then never under {@code CI=true}.
 */
@QuarkusTest
@QuarkusTestResource(AuthResource.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "orchestrator"))
class DashboardTest {
    private static Browser browser;

    @TestHTTPResource("/")
    URI base;

    private final Flow flow = new Flow();
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void chromium() {
        browser = Browser.forTest("DashboardTest");
    }

    @AfterAll
    static void quit() {
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void signedOut() {
        browser.driver.manage().deleteAllCookies();
    }

    @AfterEach
    void close() {
        flow.close();
    }

    @Test
    void aRotationStartedFromThePageShowsProgressAndReachesCompletedOnTheTimeline() throws Exception {
        signIn(TestAuth.issuer().mint("alice", List.of("responder"), Duration.ofMinutes(10)));
        WebElement row = find("tr[data-secret='dash-online']");
        assertThat(row.findElement(By.cssSelector("td:nth-child(2)")).getText())
                .isEqualTo("encryption-key\nonline-reencrypt");
        assertThat(row.findElements(By.cssSelector("button"))).extracting(WebElement::getText)
                .containsExactly("Rotate", "Dry run", "Emergency");
        browser.screenshot("01-secrets");
        row.findElement(By.name("reason")).sendKeys("quarterly, from the dashboard");
        row.findElement(By.cssSelector("button[value=rotate]")).click();

        UUID id = currentRotation();
        Flow.reply(flow.await(id, STAGE_SECRET, FORWARD, 1).succeeded(1, 2, "staged v2"));
        Flow.reply(flow.await(id, UPDATE_SECRET, FORWARD, 1).succeeded(1, 2, "v2 current"));
        StepRequested reencrypt = flow.await(id, REENCRYPT, FORWARD, 1);
        Flow.reply(reencrypt.progress(3_000, 10_000, 1_500.0, 5L));
        // The timeline streams in (server-sent events): no reload from here on.
        browser.waiting(20).until(d -> d.findElement(By.id("rate")).getText().equals("1,500 rows/s"));
        assertThat(text("#eta")).isEqualTo("5.0 s");
        assertThat(text("#progress")).contains("REENCRYPT: 3000 of 10000 rows (30 %)");
        assertThat(text("#state")).isEqualTo("RUNNING");
        browser.screenshot("02-timeline-running");

        Flow.reply(reencrypt.succeeded(1, 2, "10000 rows re-encrypted"));
        browser.waiting(30).until(d -> d.findElement(By.id("state")).getText().equals("COMPLETED"));
        assertThat(Api.state(id)).isEqualTo("COMPLETED");
        assertThat(browser.driver.findElements(By.cssSelector("#steps tbody tr"))).extracting(r -> r.getAttribute(
                "data-step") + " " + r.findElement(By.cssSelector(".badge")).getText()).containsExactly(
                "STAGE_SECRET SUCCEEDED", "UPDATE_SECRET SUCCEEDED", "REENCRYPT SUCCEEDED");
        assertThat(text("#milestones")).contains("rotation-requested", "secret-staged", "secret-updated",
                "reencrypted", "rotation-completed");
        assertThat(text("#events")).contains("rotation-requested", "step-started", "step STAGE_SECRET");
        assertThat(text(".facts")).contains("alice", "quarterly, from the dashboard", "v1 → v2");
        assertThat(browser.driver.findElements(By.id("abort"))).as("no abort once it ended").isEmpty();
        browser.screenshot("03-timeline-completed");
        // The "ended" event replaced the live block with one that has no stream: the page stopped listening.
        assertThat(find("#live").getAttribute("sse-connect")).isNull();
        // The stream of an ended rotation: one "ended" event with the final block, then the end of the stream.
        String session = browser.driver.manage().getCookieNamed(DashboardSession.COOKIE).getValue();
        HttpResponse<String> stream = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(base.resolve("/rotations/" + id + "/timeline/stream"))
                        .header("Cookie", DashboardSession.COOKIE + "=" + session).timeout(Duration.ofSeconds(20))
                        .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/event-stream"));
        assertThat(stream.body()).startsWith("event:ended\ndata:<div id=\"live\"><div id=\"slot\">")
                .contains("COMPLETED").doesNotContain("event:timeline").doesNotContain("sse-connect");
        // Without the session cookie the stream sends nothing: like every dashboard page, it needs a viewer.
        HttpResponse<String> anonymous = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                base.resolve("/rotations/" + id + "/timeline/stream")).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isNotEqualTo(200);
        assertThat(anonymous.body()).doesNotContain("event:").doesNotContain("COMPLETED");
        find("#report").click();
        browser.waiting(10).until(d -> d.findElement(By.tagName("body")).getText().startsWith("# Rotation "));
        assertThat(text("body")).startsWith("# Rotation " + id).contains("| REENCRYPT | FORWARD | SUCCEEDED | 1 |");

        browser.driver.get(base.resolve("/rotations").toString());
        new Select(browser.driver.findElement(By.id("filter-secret"))).selectByValue("dash-online");
        new Select(browser.driver.findElement(By.id("filter-state"))).selectByValue("COMPLETED");
        browser.waiting(10).until(d -> d.getCurrentUrl().contains("state=COMPLETED")
                && d.findElements(By.cssSelector("#rotations-table tr[data-rotation]")).size() == 1);
        assertThat(find("#rotations-table tr[data-rotation]").getAttribute("data-rotation")).isEqualTo(id.toString());
        new Select(browser.driver.findElement(By.id("filter-state"))).selectByValue("FAILED");
        browser.waiting(10).until(d -> d.findElements(By.cssSelector("#rotations-table tr[data-rotation]")).isEmpty());
        assertThat(text("#rotations-table")).isEqualTo("No rotations match.");
        new Select(browser.driver.findElement(By.id("filter-state"))).selectByValue("");
        browser.waiting(10).until(d -> d.findElements(By.cssSelector("#rotations-table tr[data-rotation]")).size() == 1);
        browser.screenshot("04-rotations");
    }

    @Test
    void theSecretsTableShowsVersionsTheLastResultAndFlagsASecretPastItsMaxAge() {
        UUID id = Api.start("dash-overdue", "MANUAL");
        Flow.reply(flow.await(id, STAGE_SECRET, FORWARD, 1).succeeded(1, 2, "staged"));
        Flow.reply(flow.await(id, UPDATE_SECRET, FORWARD, 1).succeeded(1, 2, "updated"));
        Api.awaitState(id, "COMPLETED");
        signIn(TestAuth.token("viewer"));
        // max-age is 2 s: the entry turns overdue shortly after its rotation completed.
        browser.waiting(15).until(d -> {
            d.navigate().refresh();
            return d.findElement(By.cssSelector("tr[data-secret='dash-overdue'] td:nth-child(6)")).getText()
                    .equals("overdue");
        });
        WebElement row = find("tr[data-secret='dash-overdue']");
        assertThat(row.findElement(By.cssSelector("td:nth-child(3)")).getText()).isEqualTo("v2 / v1");
        assertThat(row.findElement(By.cssSelector("td:nth-child(4)")).getText()).matches("\\d+(\\.\\d)? s");
        assertThat(row.findElement(By.cssSelector("td:nth-child(7) .badge")).getText()).isEqualTo("COMPLETED");
        assertThat(row.findElement(By.cssSelector("td:nth-child(7) a")).getAttribute("href")).endsWith("/rotations/" + id);
        assertThat(find("tr[data-secret='dash-abort'] td:nth-child(6)").getText()).as("no max-age, no schedule")
                .isEqualTo("—");
        browser.screenshot("09-overdue");
    }

    @Test
    void aResponderAbortsFromTheTimelineAndWatchesItRollBack() {
        signIn(TestAuth.issuer().mint("bob", List.of("responder"), Duration.ofMinutes(10)));
        find("tr[data-secret='dash-abort'] button[value=rotate]").click();
        UUID id = currentRotation();
        StepRequested stage = flow.await(id, STAGE_SECRET, FORWARD, 1);

        click("#abort");
        browser.waiting(10).until(d -> d.findElement(By.id("state")).getText().equals("COMPENSATING"));
        StepRequested undo = flow.await(id, STAGE_SECRET, COMPENSATE, 1);
        Flow.reply(stage.succeeded(1, 2, "staged late"));
        Flow.reply(undo.compensated("pending discarded"));

        browser.waiting(30).until(d -> d.findElement(By.id("state")).getText().equals("ROLLED_BACK"));
        assertThat(Api.state(id)).isEqualTo("ROLLED_BACK");
        assertThat(text("#error")).isEqualTo("Error: aborted by request");
        assertThat(browser.driver.findElements(By.cssSelector("#steps tbody tr.comp"))).extracting(r -> r.getAttribute(
                "data-step") + " " + r.findElement(By.cssSelector(".badge")).getText())
                .containsExactly("STAGE_SECRET COMPENSATED");
        assertThat(text("#events")).contains("rotation-aborted", "step-compensated");
        browser.screenshot("05-aborted");
    }

    @Test
    void aViewerSeesNoButtonsAndTheServerRefusesTheActionsAnyway() throws Exception {
        UUID running = Api.start("dash-viewer", "MANUAL");
        StepRequested stage = flow.await(running, STAGE_SECRET, FORWARD, 1);
        try (LogCapture log = LogCapture.start()) {
            String viewer = TestAuth.issuer().mint("victor", List.of("viewer"), Duration.ofMinutes(10));
            signIn(viewer);
            assertThat(text("#who")).isEqualTo("victor · viewer");
            assertThat(browser.driver.findElements(By.cssSelector("#secrets form, #secrets button"))).isEmpty();
            assertThat(browser.driver.findElements(By.xpath("//th[text()='Actions']"))).isEmpty();
            browser.driver.get(base.resolve("/rotations/" + running).toString());
            assertThat(text("#state")).isEqualTo("RUNNING");
            assertThat(browser.driver.findElements(By.cssSelector("main button"))).isEmpty();
            browser.screenshot("06-viewer");
            assertThat(browser.driver.getPageSource()).doesNotContain(viewer);

            HttpResponse<String> refused = post("/rotations/" + running + "/abort", viewer, origin(), "");
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.body()).contains("'responder'").doesNotContain(viewer);
            assertThat(post("/rotations", viewer, origin(), "secretId=dash-online&action=rotate").statusCode())
                    .isEqualTo(403);
            assertThat(Api.state(running)).isEqualTo("RUNNING");
            assertThat(log.lines()).as("the refusal is logged, by name").anyMatch(l -> l.contains("403 /rotations/"
                    + running + "/abort for 'victor'"));
            assertThat(log.lines()).as("the session token is in no log line").noneMatch(l -> l.contains(viewer));
        } finally {
            rollBack(running, stage);
        }
    }

    @Test
    void aFormPostedFromAnotherSiteIsRefusedEvenWithAResponderSession() throws Exception {
        UUID running = Api.start("dash-csrf", "MANUAL");
        StepRequested stage = flow.await(running, STAGE_SECRET, FORWARD, 1);
        try {
            String responder = TestAuth.token("responder");
            HttpResponse<String> forged = post("/rotations/" + running + "/abort", responder, "https://evil.example",
                    "");
            assertThat(forged.statusCode()).isEqualTo(403);
            assertThat(forged.body()).contains("Origin check");
            assertThat(post("/rotations/" + running + "/abort", responder, null, "").statusCode())
                    .as("no Origin and no Referer").isEqualTo(403);
            assertThat(Api.state(running)).isEqualTo("RUNNING");
            assertThat(post("/rotations/" + running + "/abort", responder, origin(), "").statusCode())
                    .as("the same request from the dashboard's own origin").isEqualTo(303);
            Api.awaitState(running, "COMPENSATING");
        } finally {
            rollBack(running, stage);
        }
    }

    @Test
    void anApproverApprovesFromThePage() {
        UUID id = Api.start("dash-approve", "MANUAL");
        assertThat(Api.state(id)).isEqualTo("AWAITING_APPROVAL");
        signIn(TestAuth.issuer().mint("carol", List.of("approver"), Duration.ofMinutes(10)));
        browser.driver.get(base.resolve("/rotations/" + id).toString());
        assertThat(browser.driver.findElements(By.id("abort"))).as("an approver may not abort").isEmpty();
        browser.screenshot("07-awaiting-approval");
        click("#approve");
        Flow.reply(flow.await(id, STAGE_SECRET, FORWARD, 1).succeeded(1, 2, "staged"));
        Flow.reply(flow.await(id, UPDATE_SECRET, FORWARD, 1).succeeded(1, 2, "updated"));
        browser.waiting(30).until(d -> d.findElement(By.id("state")).getText().equals("COMPLETED"));
        assertThat(Api.get(id).then().extract().<String>path("requestedBy")).isEqualTo("test-responder");
        assertThat(text("body")).contains("APPROVED", "carol");
    }

    @Test
    void signInKeepsTheTokenInAnHttpOnlyStrictCookieAndRefusesABadOne() {
        browser.driver.get(base.resolve("/rotations").toString());
        assertThat(browser.driver.getCurrentUrl()).as("no session: the sign-in page")
                .isEqualTo(base.resolve("/login?next=%2Frotations").toString());
        find("textarea[name=token]").sendKeys("not-a-token");
        find("form button").click();
        browser.waiting(10).until(d -> !d.findElements(By.id("login-error")).isEmpty());
        assertThat(text("#login-error")).contains("not valid here");
        assertThat(browser.driver.manage().getCookieNamed("rotor_session")).isNull();

        String token = TestAuth.token("viewer");
        find("textarea[name=token]").sendKeys(token);
        find("form button").click();
        browser.waiting(10).until(d -> !d.findElements(By.id("rotations-table")).isEmpty());
        browser.screenshot("08-signed-in");
        assertThat(browser.driver.getCurrentUrl()).as(browser.driver.getPageSource())
                .isEqualTo(base.resolve("/rotations").toString());
        Cookie session = browser.driver.manage().getCookieNamed("rotor_session");
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(session.getSameSite()).isEqualTo("Strict");
        assertThat(session.getPath()).isEqualTo("/");
        assertThat(browser.driver.getPageSource()).doesNotContain(token);

        find("header form button").click();
        browser.waiting(10).until(d -> d.getCurrentUrl().endsWith("/login"));
        assertThat(browser.driver.manage().getCookieNamed("rotor_session")).isNull();
        browser.driver.get(base.resolve("/").toString());
        assertThat(browser.driver.getCurrentUrl()).isEqualTo(base.resolve("/login?next=%2F").toString());

        String expired = TestAuth.issuer().sign(LocalAuth.ISSUER, LocalAuth.AUDIENCE, "erin", List.of("viewer"),
                Instant.now().minusSeconds(60));
        browser.driver.manage().addCookie(new Cookie("rotor_session", expired, "/"));
        browser.driver.get(base.resolve("/rotations").toString());
        assertThat(browser.driver.getCurrentUrl()).isEqualTo(base.resolve("/login?next=%2Frotations&expired=true")
                .toString());
        assertThat(text("#login-error")).contains("session has expired");
    }

    /** Aborts (if still running) and answers as secret-sync, so the rotation ends ROLLED_BACK. */
    private void rollBack(UUID id, StepRequested stage) {
        Api.abort(id);
        StepRequested undo = flow.await(id, STAGE_SECRET, COMPENSATE, 1);
        Flow.reply(stage.succeeded(1, 2, "staged late"));
        Flow.reply(undo.compensated("pending discarded"));
        Api.awaitState(id, "ROLLED_BACK");
    }

    private void signIn(String token) {
        browser.driver.get(base.resolve("/login?token=" + token + "&next=/").toString());
        browser.waiting(10).until(d -> !d.findElements(By.id("secrets")).isEmpty());
    }

    /** The rotation page the browser was sent to after starting one. */
    private UUID currentRotation() {
        browser.waiting(10).until(d -> d.getCurrentUrl().matches(".*/rotations/[0-9a-f-]{36}$"));
        String url = browser.driver.getCurrentUrl();
        return UUID.fromString(url.substring(url.lastIndexOf('/') + 1));
    }

    /** Clicks an element of the live timeline, finding it again if an update replaced it meanwhile. */
    private void click(String css) {
        browser.waiting(10).until(d -> {
            d.findElement(By.cssSelector(css)).click();
            return true;
        });
    }

    private WebElement find(String css) {
        return browser.driver.findElement(By.cssSelector(css));
    }

    /** The element's text, found again if the live timeline swapped it out between the find and the read. */
    private String text(String css) {
        for (int attempt = 1; ; attempt++) {
            try {
                return find(css).getText();
            } catch (org.openqa.selenium.StaleElementReferenceException swapped) {
                if (attempt == 5) {
                    throw swapped;
                }
            }
        }
    }

    private String origin() {
        return base.getScheme() + "://" + base.getRawAuthority();
    }

    private HttpResponse<String> post(String path, String token, String origin, String form)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .header("Cookie", "rotor_session=" + token)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (origin != null) {
            request.header("Origin", origin);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}

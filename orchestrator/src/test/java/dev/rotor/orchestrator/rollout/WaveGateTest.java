package dev.rotor.orchestrator.rollout;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.rotor.contracts.catalog.GeneratorSpec;
import dev.rotor.contracts.catalog.RolloutSpec;
import dev.rotor.contracts.catalog.SecretKind;
import dev.rotor.contracts.catalog.StoreRef;
import dev.rotor.contracts.catalog.Strategy;
import dev.rotor.contracts.messages.StepSpec;
import dev.rotor.contracts.messages.Trigger;
import dev.rotor.orchestrator.reload.Outcome;
import dev.rotor.orchestrator.retire.UsageProbe;
import dev.rotor.orchestrator.saga.FrozenPlan;
import dev.rotor.orchestrator.saga.Plans;
import dev.rotor.orchestrator.saga.Saga;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A wave's gate against an app endpoint (WireMock) whose answers change from probe to probe: it waits while the value
 * is unknown, passes once it stayed at or below max for {@code for}, fails at once above max, and fails when its
 * timeout ends first. {@code {wave}} and {@code {version}} in the url name the wave and the new version.
 */
class WaveGateTest {
    private static final Duration EVERY = Duration.ofMillis(100);
    private WireMockServer app;
    private UsageProbe probe;

    @BeforeEach
    void start() {
        app = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        app.start();
        probe = new UsageProbe(Optional.empty(), Duration.ofSeconds(2));
    }

    @AfterEach
    void stop() {
        app.stop();
    }

    private Saga saga(String holdFor, String timeout) {
        return saga(new RolloutSpec.Gate("http", null, app.baseUrl() + "/errors/{wave}?v={version}", "/ratio", "2%",
                holdFor, timeout));
    }

    /** A gate relative to the not-yet-rotated targets: at most twice their ratio, and never below a 1 % floor. */
    private Saga relative(String holdFor) {
        return saga(new RolloutSpec.Gate("http", null, app.baseUrl() + "/errors/{wave}", "/ratio", "1%", holdFor,
                "30s", "<= 2x baseline", null, app.baseUrl() + "/errors/baseline"));
    }

    private void fixed(String path, double ratio) {
        app.stubFor(get(urlEqualTo(path)).willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody("{\"ratio\":" + ratio + "}")));
    }

    private Saga saga(RolloutSpec.Gate gate) {
        RolloutSpec rollout = new RolloutSpec(List.of("50%", "100%"), gate);
        StepSpec spec = new StepSpec("app-key", SecretKind.SIGNING_KEY, Strategy.DUAL_KEY,
                new GeneratorSpec("base64", 32, null, null), new StoreRef("local", "app/key", null), List.of(), null,
                null, null, null, false, false);
        Saga s = new Saga(UUID.randomUUID(), Trigger.MANUAL, "test", new FrozenPlan(Plans.forRotation(
                Strategy.DUAL_KEY, false, false, rollout).orElseThrow(), spec, Duration.ofHours(1), null, null,
                List.of(), null, rollout));
        s.toVersion = 7;
        return s;
    }

    /** The answers of {@code /errors/1?v=7}, one per probe in order; the last one repeats. */
    private void answers(String... bodies) {
        for (int i = 0; i < bodies.length; i++) {
            var answer = bodies[i] == null ? aResponse().withStatus(503)
                    : aResponse().withHeader("Content-Type", "application/json").withBody(bodies[i]);
            String state = i == 0 ? STARTED : "probe " + i;
            String next = i == bodies.length - 1 ? state : "probe " + (i + 1);
            app.stubFor(get(urlEqualTo("/errors/1?v=7")).inScenario("gate").whenScenarioStateIs(state)
                    .willSetStateTo(next).willReturn(answer));
        }
    }

    @Test
    void waitsWhileUnknownThenPassesOnceTheValueHeldForFor() {
        answers(null, "{\"ratio\":0.01}");
        Outcome outcome = WaveGate.await(saga("1s", "30s"), probe, EVERY, Clock.systemUTC());
        // The gate is named by the wave's url, redacted as every url Rotor prints (query values hidden).
        String url = app.baseUrl() + "/errors/1?v=***";
        assertThat(outcome).isEqualTo(Outcome.ok("wave 1 of 2: gate GET " + url + " held at or below 2% for 1s"
                + " (last: GET " + url + " answered 0.01)"));
        // The unknown first answer did not count: the value was then probed for a whole second.
        assertThat(app.findAll(getRequestedFor(urlEqualTo("/errors/1?v=7"))).size()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void failsAtOnceWhenTheValueGoesAboveMax() {
        answers("{\"ratio\":0.0}", "{\"ratio\":0.25}");
        Outcome outcome = WaveGate.await(saga("10s", "30s"), probe, EVERY, Clock.systemUTC());
        String url = app.baseUrl() + "/errors/1?v=***";
        assertThat(outcome).isEqualTo(Outcome.refused("wave 1 of 2: gate GET " + url + " failed: GET " + url
                + " answered 0.25, above max 2%"));
        assertThat(app.findAll(getRequestedFor(urlEqualTo("/errors/1?v=7")))).hasSize(2);
    }

    @Test
    void failsWhenItHasNotHeldByItsTimeout() {
        answers((String) null);
        Outcome outcome = WaveGate.await(saga("1s", "1s"), probe, EVERY, Clock.systemUTC());
        assertThat(outcome.ok()).isFalse();
        assertThat(outcome.retryable()).isFalse();
        String url = app.baseUrl() + "/errors/1?v=***";
        assertThat(outcome.message()).isEqualTo("wave 1 of 2: gate GET " + url + " did not hold for 1s within its"
                + " timeout 1s (last: GET " + url + " answered 503)");
    }

    @Test
    void aRelativeGatePassesAtOrBelowTwiceTheBaselineProbedBesideIt() {
        fixed("/errors/1", 0.03);
        fixed("/errors/baseline", 0.02);
        Outcome outcome = WaveGate.await(relative("1s"), probe, EVERY, Clock.systemUTC());
        assertThat(outcome).isEqualTo(Outcome.ok("wave 1 of 2: gate GET " + app.baseUrl() + "/errors/1 held at or"
                + " below 2x baseline (or 1%) for 1s (last: GET " + app.baseUrl() + "/errors/1 answered 0.03;"
                + " baseline: GET " + app.baseUrl() + "/errors/baseline answered 0.02)"));
        assertThat(app.findAll(getRequestedFor(urlEqualTo("/errors/baseline"))).size())
                .isEqualTo(app.findAll(getRequestedFor(urlEqualTo("/errors/1"))).size());
    }

    @Test
    void aRelativeGateFailsAboveTwiceTheBaselineAndItsFloorKeepsAQuietBaselineFromFailingEverything() {
        fixed("/errors/1", 0.05);
        fixed("/errors/baseline", 0.02);
        Outcome outcome = WaveGate.await(relative("10s"), probe, EVERY, Clock.systemUTC());
        assertThat(outcome).isEqualTo(Outcome.refused("wave 1 of 2: gate GET " + app.baseUrl() + "/errors/1 failed:"
                + " GET " + app.baseUrl() + "/errors/1 answered 0.05; baseline: GET " + app.baseUrl()
                + "/errors/baseline answered 0.02, above 2x baseline (or 1%)"));

        app.resetAll();
        fixed("/errors/1", 0.005);
        fixed("/errors/baseline", 0.0);
        assertThat(WaveGate.await(relative("1s"), probe, EVERY, Clock.systemUTC()).ok()).isTrue();
    }
}

package dev.rotor.orchestrator.rollout;

import dev.rotor.contracts.catalog.RolloutSpec;
import dev.rotor.contracts.redact.SafeUrl;
import dev.rotor.orchestrator.config.OrchestratorConfig;
import dev.rotor.orchestrator.reload.Outcome;
import dev.rotor.orchestrator.retire.UsageProbe;
import dev.rotor.orchestrator.saga.RetireGate;
import dev.rotor.orchestrator.saga.Saga;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * WAVE_GATE, run by the orchestrator itself (a local step): the gate of the wave just rolled out must hold before the
 * next wave starts. It probes the gate's value ({@link UsageProbe}: Prometheus or an HTTP endpoint, each probe bounded
 * by the probe timeout) every {@code rotor.orchestrator.rollout.gate-check-interval}:
 * <ul>
 *   <li>a value above {@code max} fails the gate at once (not retried: the wave is harming, so roll back);</li>
 *   <li>a value at or below {@code max} on every probe for {@code for} passes it;</li>
 *   <li>an unknown value (the probe failed) never passes: it restarts {@code for};</li>
 *   <li>still not passed when the gate's {@code timeout} ends: it fails.</li>
 * </ul>
 * One attempt is the whole wait, blocking one gate thread (LocalStepRunner gives each waiting gate its own). A crash
 * during it leaves the attempt's timer unfired, so the runner starts the wait again and {@code for} restarts: the gate
 * is re-read, never assumed.
 */
@ApplicationScoped
public class WaveGate {
    private static final Logger LOG = Logger.getLogger(WaveGate.class);

    @Inject
    OrchestratorConfig config;

    private UsageProbe probe;

    @PostConstruct
    void init() {
        probe = new UsageProbe(config.retireGate().prometheusUrl(), config.retireGate().probeTimeout());
    }

    /** Waits until the gate of the saga's current wave passes or fails. Blocking: call it off the event loop. */
    public Outcome await(Saga saga) {
        return await(saga, probe, config.rollout().gateCheckInterval(), Clock.systemUTC());
    }

    private static String holdForText(RolloutSpec.Gate gate) {
        return gate.holdFor() == null ? RolloutSpec.Gate.DEFAULT_FOR : gate.holdFor();
    }

    static Outcome await(Saga saga, UsageProbe probe, Duration every, Clock clock) {
        RolloutSpec.Gate gate = saga.rollout.gate();
        int wave = saga.wave();
        String v = String.valueOf(saga.toVersion);
        String w = String.valueOf(wave);
        String query = gate.query() == null ? null : gate.query().replace("{wave}", w).replace("{version}", v);
        String url = gate.url() == null ? null : gate.url().replace("{wave}", w).replace("{version}", v);
        String name = "wave " + wave + " of " + saga.rollout.waves().size() + ": gate "
                + (query != null ? "prometheus " + query : "GET " + SafeUrl.redact(url));
        java.util.OptionalDouble factor = gate.baselineFactor();
        String baselineQuery = gate.baselineQuery() == null ? null
                : gate.baselineQuery().replace("{wave}", w).replace("{version}", v);
        String baselineUrl = gate.baselineUrl() == null ? null
                : gate.baselineUrl().replace("{wave}", w).replace("{version}", v);
        String bound = factor.isPresent() ? RolloutStatus.bound(gate) : "max " + gate.max();
        Instant deadline = clock.instant().plus(gate.timeoutDuration());
        Duration holdFor = gate.holdForDuration();
        Instant passingSince = null;
        String last = "no probe yet";
        while (true) {
            Instant now = clock.instant();
            RetireGate.Sample sample = probe.read(gate.source(), query, url, gate.fieldPointer());
            last = sample.probe();
            Double value = sample.share();
            Double max = gate.maxFraction();
            if (factor.isPresent()) {
                // The wave against the targets not reached yet, probed at the same moment; unknown if either is.
                RetireGate.Sample baseline = probe.read(gate.source(), baselineQuery, baselineUrl, gate.fieldPointer());
                last = last + "; baseline: " + baseline.probe();
                max = baseline.share() == null ? null : Math.max(factor.getAsDouble() * baseline.share(), max);
                value = max == null ? null : value;
            }
            LOG.infof("rotation %s of %s: %s: %s", saga.id, saga.secretId(), name, last);
            if (value != null && value > max) {
                return Outcome.refused(name + " failed: " + last + ", above " + bound);
            }
            passingSince = value == null ? null : passingSince == null ? now : passingSince;
            if (passingSince != null && !now.isBefore(passingSince.plus(holdFor))) {
                return Outcome.ok(name + " held at or below " + (factor.isPresent() ? bound : gate.max()) + " for "
                        + holdForText(gate) + " (last: " + last + ")");
            }
            if (!now.isBefore(deadline)) {
                return Outcome.refused(name + " did not hold for " + holdForText(gate) + " within its timeout "
                        + (gate.timeout() == null ? holdForText(gate) + " + 10m" : gate.timeout()) + " (last: "
                        + last + ")");
            }
            Instant next = now.plus(every);
            if (passingSince != null && passingSince.plus(holdFor).isBefore(next)) {
                next = passingSince.plus(holdFor);
            }
            if (deadline.isBefore(next)) {
                next = deadline;
            }
            try {
                Thread.sleep(Math.max(1, Duration.between(clock.instant(), next).toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Outcome.retryable(name + " was interrupted (last: " + last + ")");
            }
        }
    }
}

package dev.rotor.orchestrator.reload;

import static dev.rotor.contracts.messages.Direction.FORWARD;

import dev.rotor.contracts.catalog.ReloadSpec;
import dev.rotor.contracts.messages.Direction;
import dev.rotor.orchestrator.kubernetes.KubernetesClients;
import dev.rotor.orchestrator.kubernetes.RolloutRestarter;
import dev.rotor.orchestrator.saga.Saga;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * RELOAD_CONSUMERS, run by the orchestrator itself (a local step, like the drains): every reloader of the rotation's
 * frozen {@code reload:} list in order, each followed by its health check, within the reloader's own timeout. Forward
 * the consumers must come up on the new version; as the compensation, which runs after UPDATE_SECRET has put the old
 * value back, on the restored one. The first failure ends the attempt; reloaders already run are simply run again
 * by the next attempt.
 *
 * <p>Why here and not in secret-sync, which writes the targets: a reload needs no material, only references and version
 * numbers, and the orchestrator already runs the steps that act on the app's processes (the drains), with the same
 * Kubernetes client and command runner. secret-sync, which holds the values, then never runs user commands.
 *
 * <p>Repeats: the runner runs an attempt again after a crash before its outcome was recorded. A repeated http hook or
 * command reloads once more, which is harmless for a reload; a rollout restart is not repeated within one attempt
 * (its marker is the rotation, direction and attempt), only waited for.
 */
@ApplicationScoped
public class ConsumerReloader {
    private static final Duration HEALTH_POLL = Duration.ofMillis(500);

    @Inject
    KubernetesClients kubernetes;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final CommandRunner commands = new CommandRunner();

    /** Runs every reloader; the outcome's message lists what each did. Blocking: call it off the event loop. */
    public Outcome reload(Saga saga, Direction direction, int attempt) {
        Integer version = direction == FORWARD ? saga.toVersion : saga.fromVersion;
        return reload(reloaders(saga, direction), new ReloadTarget(saga.id, saga.secretId(), version, direction,
                attempt));
    }

    /**
     * In a rollout, a reloader that names its {@code wave} runs in that wave, and when a rollback undoes it (any wave
     * up to the current one); the others run in every wave.
     */
    static List<ReloadSpec> reloaders(Saga saga, Direction direction) {
        if (saga.rollout == null) {
            return saga.reload;
        }
        int wave = saga.wave();
        return saga.reload.stream().filter(r -> r.wave() == null
                || (direction == FORWARD ? r.wave() == wave : r.wave() <= wave)).toList();
    }

    Outcome reload(List<ReloadSpec> reloaders, ReloadTarget target) {
        if (reloaders.isEmpty()) {
            return Outcome.ok("no reloaders configured");
        }
        List<String> done = new ArrayList<>();
        for (ReloadSpec r : reloaders) {
            Duration timeout = r.timeoutDuration();
            Instant deadline = Instant.now().plus(timeout);
            Outcome outcome = run(r, target, timeout);
            if (outcome.ok() && r.health() != null) {
                Outcome health = new HealthProbe(http, HEALTH_POLL).await(r.health(), target.version(), deadline);
                outcome = health.ok() ? Outcome.ok(outcome.message() + "; " + health.message()) : health;
            }
            if (!outcome.ok()) {
                String before = done.isEmpty() ? "" : " (after " + String.join("; ", done) + ")";
                return new Outcome(false, outcome.retryable(), outcome.message() + before);
            }
            done.add(outcome.message());
        }
        return Outcome.ok(String.join("; ", done));
    }

    private Outcome run(ReloadSpec r, ReloadTarget target, Duration timeout) {
        return switch (r.type()) {
            case ReloadSpec.HTTP -> new HttpHook(http).post(r.url(), target, timeout);
            case ReloadSpec.KUBERNETES -> new RolloutRestarter(kubernetes.client(), Clock.systemUTC())
                    .restart(r.workloads(), target.marker(), timeout);
            case ReloadSpec.COMMAND -> commands.run(r.argv(), r.env(), target, timeout);
            default -> Outcome.refused("reloader type '" + r.type() + "' is not known");
        };
    }
}

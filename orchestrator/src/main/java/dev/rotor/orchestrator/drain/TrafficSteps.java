package dev.rotor.orchestrator.drain;

import static dev.rotor.contracts.messages.Direction.COMPENSATE;
import static dev.rotor.contracts.messages.Direction.FORWARD;

import dev.rotor.contracts.catalog.DrainSpec;
import dev.rotor.contracts.messages.Direction;
import dev.rotor.contracts.messages.Step;
import dev.rotor.contracts.messages.StepCompensated;
import dev.rotor.contracts.messages.StepFailed;
import dev.rotor.contracts.messages.StepResult;
import dev.rotor.contracts.messages.StepSucceeded;
import dev.rotor.orchestrator.kubernetes.KubernetesClients;
import dev.rotor.orchestrator.kubernetes.ReplicaScaler;
import dev.rotor.orchestrator.persistence.TimerEntity;
import dev.rotor.orchestrator.reload.CommandRunner;
import dev.rotor.orchestrator.reload.ConsumerReloader;
import dev.rotor.orchestrator.reload.Outcome;
import dev.rotor.orchestrator.reload.ReloadTarget;
import dev.rotor.orchestrator.rollout.WaveGate;
import dev.rotor.orchestrator.saga.Saga;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * The orchestrator as the participant of DRAIN_TRAFFIC, RESTORE_TRAFFIC and RELOAD_CONSUMERS. Entering maintenance is
 * DRAIN forward; leaving it is RESTORE forward and also DRAIN's compensation, so a rollback always ends with the app
 * serving again (leaving is harmless when the app never entered). Drain {@code none}, or no drain, succeeds at once.
 * A {@code kubernetes} drain scales to 0 and back ({@link ReplicaScaler}), a {@code command} drain runs its
 * {@code argv} to enter and its {@code restore-argv} to leave. Every drain is idempotent, which is what lets a crash
 * repeat it. RELOAD_CONSUMERS, both ways, is {@link ConsumerReloader}'s; a rollout's WAVE_GATE is {@link WaveGate}'s.
 */
@ApplicationScoped
public class TrafficSteps {
    private static final Logger LOG = Logger.getLogger(TrafficSteps.class);

    @Inject
    DrainClient client;
    @Inject
    ConsumerReloader reloader;
    @Inject
    KubernetesClients kubernetes;
    @Inject
    WaveGate gate;

    private final CommandRunner commands = new CommandRunner();

    /** One attempt of a local step, as its RUN_LOCAL timer names it. */
    public record Task(Step step, Direction direction, int attempt) {
        static Task of(TimerEntity timer) {
            return new Task(Step.valueOf(timer.step), Direction.valueOf(timer.direction), timer.attempt);
        }
    }

    /** Performs the attempt and answers as a worker would. Blocking: call it off the event loop. */
    public StepResult perform(Saga saga, Task task) {
        if (task.step() == Step.RELOAD_CONSUMERS) {
            return answer(saga, task, reloader.reload(saga, task.direction(), task.attempt()));
        }
        if (task.step() == Step.WAVE_GATE) {
            return task.direction() == FORWARD ? answer(saga, task, gate.await(saga))
                    : ok(saga, task, "a gate has nothing to undo");
        }
        boolean enter = task.step() == Step.DRAIN_TRAFFIC && task.direction() == FORWARD;
        boolean leave = (task.step() == Step.DRAIN_TRAFFIC && task.direction() == COMPENSATE)
                || (task.step() == Step.RESTORE_TRAFFIC && task.direction() == FORWARD);
        if (!enter && !leave) {
            return ok(saga, task, "nothing to do for " + task.step() + " " + task.direction());
        }
        DrainSpec drain = saga.drain;
        if (drain == null || drain.type() == null || "none".equals(drain.type())) {
            return ok(saga, task, "no drain configured");
        }
        if (DrainSpec.KUBERNETES.equals(drain.type())) {
            ReplicaScaler scaler = new ReplicaScaler(kubernetes.client());
            return answer(saga, task, enter ? scaler.drain(drain.workloads(), drain.timeoutDuration())
                    : scaler.restore(drain.workloads(), drain.timeoutDuration()));
        }
        if (DrainSpec.COMMAND.equals(drain.type())) {
            ReloadTarget refs = new ReloadTarget(saga.id, saga.secretId(), null, task.direction(), task.attempt());
            return answer(saga, task, commands.run(enter ? drain.argv() : drain.restoreArgv(), drain.env(), refs,
                    drain.timeoutDuration()));
        }
        if (!"http".equals(drain.type()) || drain.url() == null) {
            return new StepFailed(saga.id, task.step(), task.attempt(), task.direction(), false,
                    "drain type '" + drain.type() + "' needs type http and a url", Instant.now());
        }
        DrainClient.Outcome outcome = client.call(drain.url(), enter, saga.id, saga.secretId());
        LOG.infof("rotation %s of %s: %s %s attempt %d: %s", saga.id, saga.secretId(), task.step(), task.direction(),
                task.attempt(), outcome.message());
        if (outcome.ok()) {
            return ok(saga, task, outcome.message());
        }
        return new StepFailed(saga.id, task.step(), task.attempt(), task.direction(), outcome.retryable(),
                outcome.message(), Instant.now());
    }

    private static StepResult answer(Saga saga, Task task, Outcome outcome) {
        LOG.infof("rotation %s of %s: %s %s attempt %d: %s", saga.id, saga.secretId(), task.step(), task.direction(),
                task.attempt(), outcome.message());
        if (outcome.ok()) {
            return ok(saga, task, outcome.message());
        }
        return new StepFailed(saga.id, task.step(), task.attempt(), task.direction(), outcome.retryable(),
                outcome.message(), Instant.now());
    }

    private static StepResult ok(Saga saga, Task task, String detail) {
        if (task.direction() == COMPENSATE) {
            return new StepCompensated(saga.id, task.step(), task.attempt(), detail, Instant.now());
        }
        return new StepSucceeded(saga.id, task.step(), task.attempt(), FORWARD, saga.fromVersion, saga.toVersion,
                detail, Instant.now());
    }
}

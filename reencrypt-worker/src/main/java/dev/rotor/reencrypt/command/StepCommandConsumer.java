package dev.rotor.reencrypt.command;

import dev.rotor.contracts.messages.KafkaEnvelope;
import dev.rotor.contracts.messages.MalformedMessageException;
import dev.rotor.contracts.messages.Step;
import dev.rotor.contracts.messages.StepRequested;
import dev.rotor.contracts.messages.Topics;
import dev.rotor.contracts.signing.UntrustedMessageException;
import dev.rotor.messaging.StepMetrics;
import dev.rotor.reencrypt.engine.Progress;
import dev.rotor.reencrypt.engine.RunControl;
import dev.rotor.reencrypt.jobs.JobKey;
import dev.rotor.reencrypt.jobs.JobRegistry;
import dev.rotor.reencrypt.metrics.ReencryptMetrics;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import dev.rotor.reencrypt.scale.SignedCommand;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.header.Headers;
import jakarta.inject.Inject;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Reads {@code rotor.step-commands}. A REENCRYPT or CHECK_BACKUP ({@link BackupCheckHandler}) command starts a job on
 * a job thread and this method returns at once, so the channel goes on (other rotations, duplicates) while the job
 * runs. The record is acknowledged only once the job's final reply is on {@code rotor.step-results}, so a crash before that redelivers the command, and the
 * re-run finishes what is left (see {@link ReencryptCommandHandler}). De-duplication: on (rotationId, step, attempt,
 * direction) in {@link JobRegistry}; a duplicate of a running job is acknowledged without a second job, a duplicate
 * of a finished one gets the same reply again, and a signed command replayed inside the replay window is such a
 * duplicate. A command that is unsigned, not signed by the orchestrator's key, changed since it was signed, or signed
 * outside the window ({@link CommandTrust}), and a record that is not a step command, go to
 * {@code rotor.dlq.reencrypt-worker} before anything reads them, the reason in the dead-letter-reason header.
 * RETIRE_PREVIOUS is secret-sync's step (it replies); here it only drops the rotation's shadow
 * ({@link ShadowRetirement}), with no reply. A command whose {@code ce_rotorstep} hint names one of secret-sync's
 * other steps ({@link #PASSED_OVER}) is acknowledged unread, before its signature is checked: it asks nothing of this
 * worker, and secret-sync, its owner, checks it and refuses it if it is forged.
 */
@ApplicationScoped
public class StepCommandConsumer {
    private static final Logger LOG = Logger.getLogger(StepCommandConsumer.class);
    /**
     * secret-sync's steps that this worker has no part in: a command whose step hint names one is passed over unread
     * (secret-sync checks it). Any other command is read in full (RETIRE_PREVIOUS too, for the shadow).
     */
    static final Set<Step> PASSED_OVER = EnumSet.of(Step.STAGE_SECRET, Step.UPDATE_SECRET, Step.APPLY_CREDENTIAL);

    @Inject
    ReencryptCommandHandler handler;

    @Inject
    BackupCheckHandler backupCheck;

    @Inject
    StepResultPublisher publisher;

    @Inject
    JobRegistry jobs;

    @Inject
    ShadowRetirement shadows;

    @Inject
    CommandTrust trust;

    @Inject
    Tracer tracer;

    @Inject
    StepMetrics steps;

    @Inject
    ReencryptMetrics metrics;

    @Incoming("step-commands")
    public CompletionStage<Void> consume(Message<byte[]> record) {
        StepRequested command;
        Headers headers = record.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(IncomingKafkaRecordMetadata::getHeaders).orElse(null);
        if (KafkaEnvelope.hintedStepIn(headers, PASSED_OVER)) {
            return record.ack();
        }
        try {
            command = trust.read(headers, record.getPayload());
        } catch (MalformedMessageException | UntrustedMessageException e) {
            // Never the payload: it is unknown input and could hold anything.
            LOG.warnf("refused a record on %s (sent to %s): %s", Topics.STEP_COMMANDS,
                    Topics.dlq("reencrypt-worker"), e.getMessage());
            return record.nack(e);
        }
        if (command.step() == Step.RETIRE_PREVIOUS) {
            return shadows.onRetire(command).thenCompose(v -> record.ack());
        }
        if (command.step() != Step.REENCRYPT && command.step() != Step.CHECK_BACKUP) {
            return record.ack();
        }
        // The job's span continues the connector's receive span (itself below the orchestrator's send span).
        Span span = tracer.spanBuilder("handle " + command.step() + " " + command.direction())
                .setParent(TracingMetadata.fromMessage(record).map(TracingMetadata::getCurrentContext)
                        .orElse(Context.root()))
                .setAttribute("rotor.rotation.id", command.rotationId().toString())
                .setAttribute("rotor.step.attempt", command.attempt())
                .startSpan();
        Context trace = Context.root().with(span);
        JobRegistry.Admission admission = jobs.admit(JobKey.of(command), cancel -> command.step() == Step.CHECK_BACKUP
                ? backupCheck.run(command)
                : handler.run(new SignedCommand(command, headers, record.getPayload()),
                        control(command, cancel, trace)));
        admission.job().result().whenComplete((result, failure) -> span.end());
        if (!admission.started()) {
            if (!admission.job().result().isDone()) {
                LOG.infof("duplicate %s %s of rotation %s attempt %d: its job is already running",
                        command.direction(), command.step(), command.rotationId(), command.attempt());
                return record.ack();
            }
            return admission.job().result().thenCompose(r -> publisher.publish(r, trace))
                    .thenCompose(sent -> record.ack());
        }
        admission.job().result()
                .thenCompose(r -> publisher.publish(r, trace).thenRun(() -> steps.executed(command, r)))
                .thenCompose(sent -> record.ack())
                .exceptionally(failure -> {
                    // Left unacknowledged: a restart redelivers the command and the re-run replies.
                    LOG.errorf("could not publish the reply to %s %s of rotation %s: %s",
                            command.direction(), command.step(), command.rotationId(), failure.getMessage());
                    return null;
                });
        return CompletableFuture.completedFuture(null);
    }

    private RunControl control(StepRequested command, AtomicBoolean cancel, Context trace) {
        return new RunControl() {
            @Override
            public void onProgress(Progress p) {
                metrics.progressed(command.spec().secretId(), command.direction(), p);
                publisher.publish(command.progress(p.done(), p.total(), p.rowsPerSecond(), p.etaSeconds()), trace);
            }

            @Override
            public boolean cancelled() {
                return cancel.get() || Thread.currentThread().isInterrupted();
            }
        };
    }
}

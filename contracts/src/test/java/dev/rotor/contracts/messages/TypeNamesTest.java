package dev.rotor.contracts.messages;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Wire type names are frozen: renaming one silently breaks every consumer and stored outbox row. */
class TypeNamesTest {
    @Test
    void typeNamesAreFrozen() {
        assertThat(MessageTypes.all().keySet()).containsExactlyInAnyOrder(
                "dev.rotor.rotation-requested.v1",
                "dev.rotor.secret-staged.v1",
                "dev.rotor.traffic-drained.v1",
                "dev.rotor.reencrypted.v1",
                "dev.rotor.secret-updated.v1",
                "dev.rotor.credential-applied.v1",
                "dev.rotor.traffic-restored.v1",
                "dev.rotor.previous-retired.v1",
                "dev.rotor.compensation-started.v1",
                "dev.rotor.rotation-completed.v1",
                "dev.rotor.rotation-rolled-back.v1",
                "dev.rotor.rotation-failed.v1",
                "dev.rotor.step-requested.v1",
                "dev.rotor.step-succeeded.v1",
                "dev.rotor.step-failed.v1",
                "dev.rotor.step-progress.v1",
                "dev.rotor.step-compensated.v1",
                "dev.rotor.rotation-request-submitted.v1",
                "dev.rotor.approval-requested.v1",
                "dev.rotor.approval-skipped.v1",
                "dev.rotor.rotation-approved.v1",
                "dev.rotor.rotation-denied.v1",
                "dev.rotor.rotation-expired.v1",
                "dev.rotor.freeze-overridden.v1",
                "dev.rotor.audit-checkpoint.v1",
                "dev.rotor.retire-deferred.v1",
                "dev.rotor.retire-overdue.v1");
        assertThat(MessageTypes.typeOf(RotationCompleted.class)).isEqualTo("dev.rotor.rotation-completed.v1");
    }

    @Test
    void topicNamesAreFrozen() {
        assertThat(Topics.ROTATIONS).isEqualTo("rotor.rotations");
        assertThat(Topics.STEP_COMMANDS).isEqualTo("rotor.step-commands");
        assertThat(Topics.STEP_RESULTS).isEqualTo("rotor.step-results");
        assertThat(Topics.ROTATION_REQUESTS).isEqualTo("rotor.rotation-requests");
        assertThat(Topics.dlq("notifier")).isEqualTo("rotor.dlq.notifier");
    }
}

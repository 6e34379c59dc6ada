package dev.rotor.orchestrator.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.contracts.catalog.GeneratorSpec;
import dev.rotor.contracts.catalog.SecretKind;
import dev.rotor.contracts.catalog.StoreRef;
import dev.rotor.contracts.catalog.Strategy;
import dev.rotor.contracts.messages.CloudEvents;
import dev.rotor.contracts.messages.Direction;
import dev.rotor.contracts.messages.KafkaEnvelope;
import dev.rotor.contracts.messages.MessageCodec;
import dev.rotor.contracts.messages.RotationRequested;
import dev.rotor.contracts.messages.RotorMessage;
import dev.rotor.contracts.messages.Step;
import dev.rotor.contracts.messages.StepRequested;
import dev.rotor.contracts.messages.StepSpec;
import dev.rotor.contracts.messages.Topics;
import dev.rotor.contracts.messages.Trigger;
import dev.rotor.contracts.signing.MessageSignatures;
import dev.rotor.contracts.signing.MessageSigner;
import dev.rotor.contracts.signing.MessageVerifier;
import dev.rotor.contracts.signing.SigningKeys;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** What the relay sends for an outbox row: commands timed and signed at the send, events as committed. */
class OutboxRowTest {
    static final KeyPair KEYS = SigningKeys.generate();
    static final MessageSigner SIGNER = MessageSigner.of(KEYS.getPrivate());
    static final UUID ROTATION = UUID.randomUUID();
    static final Instant COMMITTED = Instant.parse("2026-12-01T10:00:00Z");
    static final Instant SENT = COMMITTED.plus(Duration.ofHours(3)); // the relay was down for three hours

    static OutboxRelay.Row row(String topic, RotorMessage m) {
        return new OutboxRelay.Row(1, UUID.randomUUID(), topic, ROTATION.toString(), m.type(),
                MessageCodec.encodeToString(m), COMMITTED);
    }

    @Test
    void aCommandIsTimedAndSignedAtTheSendSoTheWorkersAcceptItAfterARelayOutage() {
        StepSpec spec = new StepSpec("s", SecretKind.TOKEN, Strategy.IMMEDIATE, new GeneratorSpec("hex", 32, null,
                null), new StoreRef("local", "p", null), List.of(), null, null, null, null, false, false);
        StepRequested command = new StepRequested(ROTATION, Step.STAGE_SECRET, 1, Direction.FORWARD, spec, COMMITTED);
        OutboxRelay.Row row = row(Topics.STEP_COMMANDS, command);

        ProducerRecord<String, byte[]> r = row.record("/rotor/orchestrator", SIGNER, SENT);

        assertThat(KafkaEnvelope.header(r.headers(), CloudEvents.TIME)).isEqualTo(SENT.toString());
        assertThat(KafkaEnvelope.header(r.headers(), CloudEvents.ID)).isEqualTo(row.id().toString());
        MessageVerifier worker = new MessageVerifier(List.of(KEYS.getPublic()), Duration.ofHours(1),
                Duration.ofMinutes(2), Clock.fixed(SENT.plusSeconds(5), ZoneOffset.UTC));
        assertThat(worker.read(r.headers(), r.value())).isEqualTo(command);
    }

    @Test
    void anEventKeepsItsCommitTimeAndIsNotSigned() {
        RotationRequested event = new RotationRequested(ROTATION, "s", Trigger.MANUAL, null, "immediate", "alice",
                COMMITTED);

        ProducerRecord<String, byte[]> r = row(Topics.ROTATIONS, event).record("/rotor/orchestrator", SIGNER, SENT);

        assertThat(KafkaEnvelope.header(r.headers(), CloudEvents.TIME)).isEqualTo(COMMITTED.toString());
        assertThat(r.headers().lastHeader(MessageSignatures.SIGNATURE)).isNull();
    }
}

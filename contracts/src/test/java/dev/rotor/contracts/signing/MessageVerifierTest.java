package dev.rotor.contracts.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotor.contracts.catalog.GeneratorSpec;
import dev.rotor.contracts.catalog.SecretKind;
import dev.rotor.contracts.catalog.StoreRef;
import dev.rotor.contracts.catalog.Strategy;
import dev.rotor.contracts.catalog.TargetSpec;
import dev.rotor.contracts.messages.CloudEvents;
import dev.rotor.contracts.messages.Direction;
import dev.rotor.contracts.messages.MalformedMessageException;
import dev.rotor.contracts.messages.RotationRequestSubmitted;
import dev.rotor.contracts.messages.Step;
import dev.rotor.contracts.messages.StepRequested;
import dev.rotor.contracts.messages.StepSpec;
import dev.rotor.contracts.messages.Topics;
import dev.rotor.contracts.messages.Trigger;
import dev.rotor.contracts.signing.UntrustedMessageException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.Test;

class MessageVerifierTest {
    static final KeyPair ORCHESTRATOR = SigningKeys.generate();
    static final MessageSigner SIGNER = MessageSigner.of(ORCHESTRATOR.getPrivate());
    static final Duration MAX_AGE = Duration.ofHours(1);
    static final Duration SKEW = Duration.ofMinutes(2);

    static StepRequested command(String envFile) {
        StepSpec spec = new StepSpec("jwt-secret", SecretKind.SIGNING_KEY, Strategy.DUAL_KEY,
                new GeneratorSpec("base64", 32, null, null), new StoreRef("local", "app/jwt", null),
                List.of(new TargetSpec("env-file", envFile, "JWT_SECRET", null, null)), null, null, 1, 2, true,
                false);
        return new StepRequested(UUID.randomUUID(), Step.UPDATE_SECRET, 1, Direction.FORWARD, spec, Instant.now());
    }

    static MessageVerifier verifierAt(Instant now) {
        return new MessageVerifier(List.of(ORCHESTRATOR.getPublic()), MAX_AGE, SKEW,
                Clock.fixed(now, ZoneOffset.UTC));
    }

    static ProducerRecord<String, byte[]> signed() {
        return SIGNER.record(Topics.STEP_COMMANDS, command("/srv/app/.env"), "/rotor/orchestrator");
    }

    static Reason refusal(Headers headers, byte[] payload) {
        try {
            verifierAt(Instant.now()).read(headers, payload);
        } catch (UntrustedMessageException e) {
            return e.reason();
        }
        return null;
    }

    static void set(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aSignedRecordIsReadBack() {
        StepRequested sent = command("/srv/app/.env");
        ProducerRecord<String, byte[]> r = SIGNER.record(Topics.STEP_COMMANDS, sent, "/rotor/orchestrator");

        assertThat(verifierAt(Instant.now()).read(r.headers(), r.value())).isEqualTo(sent);
    }

    @Test
    void anUnsignedRecordIsRefused() {
        ProducerRecord<String, byte[]> r = signed();
        r.headers().remove(MessageSignatures.SIGNATURE);
        assertThat(refusal(r.headers(), r.value())).isEqualTo(Reason.UNSIGNED);
    }

    @Test
    void aTamperedPayloadIsRefused() {
        ProducerRecord<String, byte[]> r = signed();
        byte[] forged = new String(r.value(), StandardCharsets.UTF_8).replace("/srv/app/.env", "/tmp/attacker.env")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(refusal(r.headers(), forged)).isEqualTo(Reason.BAD_SIGNATURE);
    }

    @Test
    void aTamperedIdTypeSubjectOrTimeIsRefused() {
        for (String header : List.of(CloudEvents.ID, CloudEvents.TYPE, CloudEvents.SUBJECT, CloudEvents.SOURCE)) {
            ProducerRecord<String, byte[]> r = signed();
            set(r.headers(), header, "changed");
            assertThat(refusal(r.headers(), r.value())).as(header).isEqualTo(Reason.BAD_SIGNATURE);
        }
        ProducerRecord<String, byte[]> r = signed();
        set(r.headers(), CloudEvents.TIME, Instant.now().plusSeconds(1).toString()); // fresher, still in the window
        assertThat(refusal(r.headers(), r.value())).isEqualTo(Reason.BAD_SIGNATURE);
    }

    @Test
    void aRecordSignedWithAnotherKeyIsRefusedWhateverKeyIdItClaims() {
        MessageSigner attacker = MessageSigner.of(SigningKeys.generate().getPrivate());
        ProducerRecord<String, byte[]> r = attacker.record(Topics.STEP_COMMANDS, command("/tmp/x"), "/rotor/x");
        assertThat(refusal(r.headers(), r.value())).isEqualTo(Reason.UNKNOWN_KEY);

        set(r.headers(), MessageSignatures.KEY_ID, SIGNER.keyId());
        assertThat(refusal(r.headers(), r.value())).isEqualTo(Reason.BAD_SIGNATURE);
    }

    @Test
    void aSignatureThatIsNotBase64IsRefused() {
        ProducerRecord<String, byte[]> r = signed();
        set(r.headers(), MessageSignatures.SIGNATURE, "not base64 !");
        assertThat(refusal(r.headers(), r.value())).isEqualTo(Reason.BAD_SIGNATURE);
    }

    @Test
    void theReplayWindowIsMeasuredOnTheSignedTime() {
        ProducerRecord<String, byte[]> r = signed();
        Instant signedAt = Instant.parse(new String(r.headers().lastHeader(CloudEvents.TIME).value(),
                StandardCharsets.UTF_8));

        verifierAt(signedAt.plus(MAX_AGE)).verify(r.headers(), r.value());
        verifierAt(signedAt.minus(SKEW)).verify(r.headers(), r.value());
        assertThatThrownBy(() -> verifierAt(signedAt.plus(MAX_AGE).plusSeconds(1)).verify(r.headers(), r.value()))
                .isInstanceOfSatisfying(UntrustedMessageException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.TOO_OLD))
                .hasMessageStartingWith("too old: signed at " + signedAt);
        assertThatThrownBy(() -> verifierAt(signedAt.minus(SKEW).minusSeconds(1)).verify(r.headers(), r.value()))
                .isInstanceOfSatisfying(UntrustedMessageException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.FROM_THE_FUTURE));
    }

    @Test
    void aSignedRecordWithoutATimeIsRefused() {
        ProducerRecord<String, byte[]> r = signed();
        r.headers().remove(CloudEvents.TIME);
        SIGNER.sign(r.headers(), r.value());
        assertThat(refusal(r.headers(), r.value())).isEqualTo(Reason.NO_TIME);
    }

    @Test
    void aTrustedRecordOfAnotherTypeIsMalformed() {
        RotationRequestSubmitted request = new RotationRequestSubmitted(UUID.randomUUID(), "jwt-secret",
                Trigger.MANUAL, null, null, null, Instant.now());
        ProducerRecord<String, byte[]> r = SIGNER.record(Topics.STEP_COMMANDS, request, "/rotor/orchestrator");

        assertThatThrownBy(() -> verifierAt(Instant.now()).read(r.headers(), r.value(), StepRequested.class))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessage("expected dev.rotor.step-requested.v1 but got dev.rotor.rotation-request-submitted.v1");
    }

    @Test
    void aVerifierWithNoKeyFileIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> MessageVerifier.ofKeyFiles("rotor.signing.request-verify-keys", List.of(" "),
                MAX_AGE, SKEW)).isInstanceOf(SigningKeyException.class)
                .hasMessageStartingWith("rotor.signing.request-verify-keys is not set");
    }

    @Test
    void refusalsNeverQuoteThePayload() {
        ProducerRecord<String, byte[]> r = signed();
        byte[] forged = new String(r.value(), StandardCharsets.UTF_8).replace("/srv/app/.env", "/tmp/attacker.env")
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> verifierAt(Instant.now()).read(r.headers(), forged))
                .hasMessageNotContaining("attacker").hasMessageNotContaining("jwt-secret");
    }
}

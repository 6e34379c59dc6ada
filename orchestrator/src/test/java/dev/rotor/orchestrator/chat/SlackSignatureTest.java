package dev.rotor.orchestrator.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.orchestrator.chat.SlackSignature.Verdict;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Slack's v0 signature, checked against the worked example in Slack's "Verifying requests from Slack". */
class SlackSignatureTest {
    static final String DOC_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
    static final String DOC_TIMESTAMP = "1531420618";
    static final String DOC_BODY = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow"
            + "&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner"
            + "&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J"
            + "%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
            + "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    static final String DOC_SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
    private static final Instant SENT = Instant.ofEpochSecond(Long.parseLong(DOC_TIMESTAMP));
    private final SlackSignature slack = new SlackSignature(DOC_SECRET, Duration.ofMinutes(5));

    @Test
    void slacksWorkedExampleVerifies() {
        assertThat(slack.sign(DOC_TIMESTAMP, body())).isEqualTo(DOC_SIGNATURE);
        assertThat(slack.verify(DOC_TIMESTAMP, DOC_SIGNATURE, body(), SENT.plusSeconds(60))).isEqualTo(Verdict.VALID);
        assertThat(slack.verify(DOC_TIMESTAMP, DOC_SIGNATURE, body(), SENT.plusSeconds(300)))
                .isEqualTo(Verdict.VALID);
    }

    @Test
    void aWrongSignatureAnotherSecretOrAChangedBodyIsRefused() {
        String flipped = DOC_SIGNATURE.substring(0, DOC_SIGNATURE.length() - 1) + "4";
        assertThat(slack.verify(DOC_TIMESTAMP, flipped, body(), SENT)).isEqualTo(Verdict.MISMATCH);
        assertThat(slack.verify(DOC_TIMESTAMP, DOC_SIGNATURE.substring(3), body(), SENT)).isEqualTo(Verdict.MISMATCH);
        assertThat(new SlackSignature(DOC_SECRET + "x", Duration.ofMinutes(5))
                .verify(DOC_TIMESTAMP, DOC_SIGNATURE, body(), SENT)).isEqualTo(Verdict.MISMATCH);
        byte[] changed = DOC_BODY.replace("text=", "text=abort").getBytes(StandardCharsets.UTF_8);
        assertThat(slack.verify(DOC_TIMESTAMP, DOC_SIGNATURE, changed, SENT)).isEqualTo(Verdict.MISMATCH);
        // The timestamp is signed too: the same signature with another timestamp does not verify.
        assertThat(slack.verify("1531420619", DOC_SIGNATURE, body(), SENT)).isEqualTo(Verdict.MISMATCH);
    }

    @Test
    void aTimestampSixMinutesOldOrAheadIsRefusedEvenWithTheRightSignature() {
        assertThat(slack.verify(DOC_TIMESTAMP, DOC_SIGNATURE, body(), SENT.plus(Duration.ofMinutes(6))))
                .isEqualTo(Verdict.STALE);
        assertThat(slack.verify(DOC_TIMESTAMP, DOC_SIGNATURE, body(), SENT.minus(Duration.ofMinutes(6))))
                .isEqualTo(Verdict.STALE);
        assertThat(slack.verify("soon", DOC_SIGNATURE, body(), SENT)).isEqualTo(Verdict.STALE);
    }

    @Test
    void missingHeadersOrNoSecretAreRefused() {
        assertThat(slack.verify(null, DOC_SIGNATURE, body(), SENT)).isEqualTo(Verdict.MISSING);
        assertThat(slack.verify(DOC_TIMESTAMP, null, body(), SENT)).isEqualTo(Verdict.MISSING);
        assertThat(new SlackSignature(null, Duration.ofMinutes(5)).verify(DOC_TIMESTAMP, DOC_SIGNATURE, body(),
                SENT)).isEqualTo(Verdict.NOT_CONFIGURED);
        assertThat(slack.toString()).doesNotContain(DOC_SECRET);
    }

    private static byte[] body() {
        return DOC_BODY.getBytes(StandardCharsets.UTF_8);
    }
}

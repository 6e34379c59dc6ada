package dev.rotor.orchestrator.incident;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookSignaturesTest {
    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.UTF_8);

    @Test
    void gitHubsWorkedExampleVerifies() {
        // From GitHub's "Validating webhook deliveries": this secret and payload give exactly this signature.
        String secret = "It's a Secret to Everybody";
        String signature = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

        assertThat(WebhookSignatures.hex(secret, HELLO))
                .isEqualTo("757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
        assertThat(WebhookSignatures.gitHub(secret, HELLO, signature)).isTrue();
        assertThat(WebhookSignatures.gitHub(secret, HELLO, signature.toUpperCase().replace("SHA256=", "sha256=")))
                .as("hex case does not matter").isTrue();
        assertThat(WebhookSignatures.gitHub("another secret", HELLO, signature)).isFalse();
        assertThat(WebhookSignatures.gitHub(secret, "Hello, World?".getBytes(StandardCharsets.UTF_8), signature))
                .isFalse();
        assertThat(WebhookSignatures.gitHub(secret, HELLO, signature.replace("sha256=", "sha1="))).isFalse();
        assertThat(WebhookSignatures.gitHub(secret, HELLO, null)).isFalse();
        assertThat(WebhookSignatures.gitHub("", HELLO, "sha256=" + WebhookSignatures.hex("x", HELLO)))
                .as("an empty secret never verifies").isFalse();
    }

    @Test
    void pagerDutyAcceptsAnyOfSeveralSignatures() {
        String good = "v1=" + WebhookSignatures.hex("pd-secret", HELLO);
        String other = "v1=" + WebhookSignatures.hex("pd-old-secret", HELLO);

        assertThat(WebhookSignatures.pagerDuty("pd-secret", HELLO, good)).isTrue();
        assertThat(WebhookSignatures.pagerDuty("pd-secret", HELLO, other + ", " + good)).isTrue();
        assertThat(WebhookSignatures.pagerDuty("pd-secret", HELLO, other)).isFalse();
        assertThat(WebhookSignatures.pagerDuty("pd-secret", HELLO, good.substring(3))).as("no v1= prefix").isFalse();
        assertThat(WebhookSignatures.pagerDuty("pd-secret", HELLO, "v1=")).isFalse();
    }

    @Test
    void theGenericSignatureCoversTheTimestamp() {
        String header = "v1=" + WebhookSignatures.hex("g", "1764672000.Hello, World!".getBytes(StandardCharsets.UTF_8));

        assertThat(WebhookSignatures.generic("g", "1764672000", HELLO, header)).isTrue();
        assertThat(WebhookSignatures.generic("g", "1764672001", HELLO, header)).isFalse();
    }
}

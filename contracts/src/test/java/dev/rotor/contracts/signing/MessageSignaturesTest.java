package dev.rotor.contracts.signing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.contracts.messages.CloudEvents;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class MessageSignaturesTest {
    static final byte[] PAYLOAD = "{\"rotationId\":\"5b0c7f3e-2a51-4a8e-9c1d-0f6b2d9e4a10\"}"
            .getBytes(StandardCharsets.UTF_8);

    static Headers headers(String id, String type, String subject, String time) {
        RecordHeaders h = new RecordHeaders();
        h.add(CloudEvents.SPEC_VERSION, "1.0".getBytes(StandardCharsets.UTF_8));
        h.add(CloudEvents.ID, id.getBytes(StandardCharsets.UTF_8));
        h.add(CloudEvents.SOURCE, "/rotor/orchestrator".getBytes(StandardCharsets.UTF_8));
        h.add(CloudEvents.TYPE, type.getBytes(StandardCharsets.UTF_8));
        h.add(CloudEvents.SUBJECT, subject.getBytes(StandardCharsets.UTF_8));
        h.add(CloudEvents.TIME, time.getBytes(StandardCharsets.UTF_8));
        return h;
    }

    static Headers fixed() {
        return headers("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", "dev.rotor.step-requested.v1",
                "5b0c7f3e-2a51-4a8e-9c1d-0f6b2d9e4a10", "2026-11-22T02:00:00Z");
    }

    @Test
    void theCanonicalFormIsALabelThenEachFieldLengthPrefixedWithMinusOneForAnAbsentOne() {
        RecordHeaders h = new RecordHeaders();
        h.add(CloudEvents.ID, "i".getBytes(StandardCharsets.UTF_8));
        h.add(CloudEvents.TYPE, "t".getBytes(StandardCharsets.UTF_8));
        h.add(CloudEvents.SUBJECT, "".getBytes(StandardCharsets.UTF_8));
        h.add(CloudEvents.TIME, "T".getBytes(StandardCharsets.UTF_8));

        assertThat(HexFormat.of().formatHex(MessageSignatures.canonical(h, "p".getBytes(StandardCharsets.UTF_8))))
                .isEqualTo("00000016" + hex("rotor-signed-record-v1")
                        + "00000001" + hex("i") // id
                        + "ffffffff" // source: absent
                        + "00000001" + hex("t") // type
                        + "00000000" // subject: empty
                        + "00000001" + hex("T") // time
                        + "00000001" + hex("p")); // payload
    }

    @Test
    void bytesCannotBeShiftedFromOneFieldIntoTheNext() {
        byte[] a = MessageSignatures.canonical(headers("ab", "c", "s", "t"), PAYLOAD);
        byte[] b = MessageSignatures.canonical(headers("a", "bc", "s", "t"), PAYLOAD);
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void theJdkSignatureMatchesRfc8032Test1() throws Exception {
        // RFC 8032 §7.1 TEST 1: the empty message.
        assertThat(HexFormat.of().formatHex(MessageSignatures.sign(TestKeys.rfcPrivate(), new byte[0])))
                .isEqualTo("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701"
                        + "cf9b46bd25bf5f0595bbe24655141438e7a100b");
    }

    @Test
    void aFixedRecordHasAFixedSignatureAndKeyId() throws Exception {
        Headers h = fixed();
        MessageSigner.of(TestKeys.rfcPrivate()).sign(h, PAYLOAD);

        assertThat(new String(h.lastHeader(MessageSignatures.KEY_ID).value(), StandardCharsets.US_ASCII))
                .isEqualTo(FIXED_KEY_ID);
        assertThat(new String(h.lastHeader(MessageSignatures.SIGNATURE).value(), StandardCharsets.US_ASCII))
                .isEqualTo(FIXED_SIGNATURE);
        assertThat(MessageSignatures.verify(TestKeys.rfcPublic(), MessageSignatures.canonical(h, PAYLOAD),
                Base64.getUrlDecoder().decode(FIXED_SIGNATURE))).isTrue();
    }

    // Recomputed outside Java: the canonical bytes with Python's struct.pack('>i', len) framing, signed by
    // `openssl pkeyutl -sign -rawin` with the RFC key; the key id is `openssl pkey -pubout -outform DER | sha256sum`.
    static final String FIXED_KEY_ID = "06e3fd8fda29bb60";
    static final String FIXED_SIGNATURE =
            "YO2HwpLzwxzsNgR2ECHOd-FRLfDfNonrQP7c3qgMFqwV4oqaoSfUv8cb6NrAsI9rvBhJenUjPEsE_Stnwf_SDA";

    private static String hex(String s) {
        return HexFormat.of().formatHex(s.getBytes(StandardCharsets.UTF_8));
    }
}

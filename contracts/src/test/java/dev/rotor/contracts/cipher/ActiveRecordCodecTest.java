package dev.rotor.contracts.cipher;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ActiveRecordCodecTest {
    private static final String SALT = "g7Q66StqUQDQk9SJ81sWbYZXgiRogBwS";
    private static final String OLD_KEY = "a1cc4d7b9f420e40a337b9e68c5ecec6";
    private static final String NEW_KEY = "bc17e7b413fd4720716a7633027f8cc4";
    private static final String PLAINTEXT = "tolkien@email.com";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ActiveRecordCodec codec = Codecs.activeRecord(false).withDerivation(SALT,
            ActiveRecordCodec.HashDigest.SHA256);
    private final ActiveRecordCodec deterministic = Codecs.activeRecord(true).withDerivation(SALT,
            ActiveRecordCodec.HashDigest.SHA256);
    private final ColumnKey oldKey = key(codec, 1, OLD_KEY);
    private final ColumnKey newKey = key(codec, 2, NEW_KEY);

    private static ColumnKey key(ActiveRecordCodec codec, int version, String railsKey) {
        return codec.deriveKey(codec.readMasterKey(version, railsKey), "authors", "email");
    }

    @Test
    void roundTripsInTheRailsMessageLayout() throws Exception {
        String stored = codec.encrypt(oldKey, "7", PLAINTEXT.getBytes(UTF_8));
        JsonNode message = JSON.readTree(stored);

        assertThat(message.fieldNames()).toIterable().containsExactly("p", "h");
        assertThat(message.get("h").fieldNames()).toIterable().containsExactly("iv", "at");
        assertThat(Base64.getDecoder().decode(message.get("h").get("iv").textValue())).hasSize(12);
        assertThat(Base64.getDecoder().decode(message.get("h").get("at").textValue())).hasSize(16);
        assertThat(Base64.getDecoder().decode(message.get("p").textValue())).hasSize(PLAINTEXT.length());
        assertThat(codec.encrypt(oldKey, "7", PLAINTEXT.getBytes(UTF_8))).isNotEqualTo(stored);
        assertThat(new String(codec.decrypt(oldKey, "another-row", stored), UTF_8)).isEqualTo(PLAINTEXT);
        assertThat(codec.isUnder(oldKey, null, stored)).isTrue();
        assertThat(codec.isUnder(newKey, null, stored)).isFalse();
    }

    @Test
    void compressesOver140BytesAsRailsDoes() throws Exception {
        byte[] at140 = "x".repeat(140).getBytes(UTF_8);
        byte[] at141 = "x".repeat(141).getBytes(UTF_8);

        assertThat(JSON.readTree(codec.encrypt(oldKey, "1", at140)).get("h").has("c")).isFalse();
        String compressed = codec.encrypt(oldKey, "1", at141);
        assertThat(JSON.readTree(compressed).get("h").get("c").booleanValue()).isTrue();
        assertThat(Base64.getDecoder().decode(JSON.readTree(compressed).get("p").textValue()).length).isLessThan(30);
        assertThat(codec.decrypt(oldKey, "1", compressed)).isEqualTo(at141);
    }

    @Test
    void deterministicModeWritesTheSameValueForTheSameTextAndItsKeyIsItsOwn() throws Exception {
        ColumnKey detKey = key(deterministic, 1, OLD_KEY);
        String a = deterministic.encrypt(detKey, "1", PLAINTEXT.getBytes(UTF_8));

        assertThat(deterministic.encrypt(detKey, "2", PLAINTEXT.getBytes(UTF_8))).isEqualTo(a);
        assertThat(deterministic.encrypt(detKey, "1", "other".getBytes(UTF_8))).isNotEqualTo(a);
        assertThat(new String(deterministic.decrypt(detKey, "1", a), UTF_8)).isEqualTo(PLAINTEXT);
        assertThatThrownBy(() -> codec.decrypt(detKey, "1", a)).hasMessage(
                "column key was derived by codec activerecord-deterministic, not activerecord");
    }

    @Test
    void reencryptionKeepsCompressionEncodingAndKeyReference() throws Exception {
        byte[] binary = new byte[300];
        String before = codec.encryptWithIv(oldKey, binary, new byte[12], "ASCII-8BIT", true);
        JsonNode oldHeaders = JSON.readTree(before).get("h");

        String after = codec.reencrypt(newKey, "1", codec.decrypt(oldKey, "1", before), before);
        JsonNode headers = JSON.readTree(after).get("h");

        assertThat(headers.fieldNames()).toIterable().containsExactly("iv", "at", "e", "i", "c");
        assertThat(new String(Base64.getDecoder().decode(headers.get("e").textValue()), UTF_8)).isEqualTo(
                "ASCII-8BIT");
        assertThat(headers.get("i").textValue()).isEqualTo(Base64.getEncoder().encodeToString(
                ActiveRecordCodec.keyId(newKey))).isNotEqualTo(oldHeaders.get("i").textValue());
        assertThat(codec.decrypt(newKey, "1", after)).isEqualTo(binary);

        // An app with compress: false wrote a long value uncompressed: it stays so, for its lookups and its reads.
        byte[] longText = "y".repeat(500).getBytes(UTF_8);
        ObjectNode uncompressed = (ObjectNode) JSON.readTree(codec.encrypt(oldKey, "1", "short".getBytes(UTF_8)));
        String plain = codec.reencrypt(oldKey, "1", longText, uncompressed.toString());
        assertThat(JSON.readTree(plain).get("h").has("c")).isFalse();
        assertThat(codec.decrypt(oldKey, "1", plain)).isEqualTo(longText);
    }

    @Test
    void refusesTamperingAndFormatsItCannotReadNamingNoSecret() throws Exception {
        String stored = codec.encrypt(oldKey, "7", PLAINTEXT.getBytes(UTF_8));
        ObjectNode message = (ObjectNode) JSON.readTree(stored);

        assertRefused(newKey, stored, UndecryptableException.Reason.AUTHENTICATION_FAILED, "authentication failed");
        ObjectNode tampered = message.deepCopy();
        tampered.put("p", Base64.getEncoder().encodeToString("tolkien@email.co!".getBytes(UTF_8)));
        assertRefused(oldKey, tampered.toString(), UndecryptableException.Reason.AUTHENTICATION_FAILED,
                "authentication failed");
        ObjectNode shortTag = message.deepCopy();
        ((ObjectNode) shortTag.get("h")).put("at", "AAAA");
        assertRefused(oldKey, shortTag.toString(), UndecryptableException.Reason.UNKNOWN_FORMAT,
                "iv must be 12 bytes and at 16");
        ObjectNode envelope = message.deepCopy();
        ((ObjectNode) envelope.get("h")).set("k", JSON.readTree("{\"p\":\"AA==\",\"h\":{}}"));
        assertRefused(oldKey, envelope.toString(), UndecryptableException.Reason.UNKNOWN_FORMAT,
                "envelope encryption (header k) is not supported");
        ObjectNode notZlib = message.deepCopy();
        ((ObjectNode) notZlib.get("h")).put("c", true);
        assertRefused(oldKey, notZlib.toString(), UndecryptableException.Reason.UNKNOWN_FORMAT,
                "a compressed payload that is not zlib");
        ObjectNode notBase64 = message.deepCopy();
        notBase64.put("p", "***");
        assertRefused(oldKey, notBase64.toString(), UndecryptableException.Reason.NOT_BASE64, "not base64");
        assertRefused(oldKey, "plain text", UndecryptableException.Reason.UNKNOWN_FORMAT, "not JSON");
        assertRefused(oldKey, "{\"h\":{}}", UndecryptableException.Reason.UNKNOWN_FORMAT,
                "not a JSON object with a string p");
    }

    @Test
    void readsAKeyOnlyWithTheAppsSaltAndDerivesPerDigest() {
        assertThatThrownBy(() -> Codecs.activeRecord(false).readMasterKey(1, OLD_KEY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the activerecord codec needs the app's key_derivation_salt to read a key");
        assertThatThrownBy(() -> Codecs.activeRecord(true).withDerivation("", ActiveRecordCodec.HashDigest.SHA1))
                .hasMessage("the activerecord-deterministic codec needs the app's key_derivation_salt");
        assertThatThrownBy(() -> codec.readMasterKey(1, "")).hasMessage("Rails encryption key is missing or empty");
        assertThatThrownBy(() -> ActiveRecordCodec.HashDigest.parse("md5"))
                .hasMessage("hash digest must be sha256 or sha1, got 'md5'");
        MasterKey sha1 = Codecs.activeRecord(false).withDerivation(SALT, ActiveRecordCodec.HashDigest.SHA1)
                .readMasterKey(1, OLD_KEY);
        assertThat(sha1.sameSecretAs(codec.readMasterKey(1, OLD_KEY))).isFalse();
        assertThat(oldKey.toString()).doesNotContain(OLD_KEY).contains("codec=activerecord");
    }

    private void assertRefused(ColumnKey key, String stored, UndecryptableException.Reason reason, String detail) {
        UndecryptableException e = catchThrowableOfType(() -> codec.decrypt(key, "7", stored),
                UndecryptableException.class);
        assertThat(e).as("value %s", stored).isNotNull();
        assertThat(e.reason()).isEqualTo(reason);
        assertThat(e.codec()).isEqualTo("activerecord");
        assertThat(e.getMessage()).contains(detail).doesNotContain(OLD_KEY).doesNotContain(NEW_KEY)
                .doesNotContain(SALT).doesNotContain(PLAINTEXT).doesNotContain(stored);
        assertThat(codec.isUnder(key, "7", stored)).isFalse();
    }
}

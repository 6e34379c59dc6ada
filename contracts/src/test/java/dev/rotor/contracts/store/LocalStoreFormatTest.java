package dev.rotor.contracts.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalStoreFormatTest {
    private static final char[] PW = "store-pw".toCharArray();

    @Test
    void contentsSurviveAWriteAndARead() throws Exception {
        byte[] file = LocalStoreFormat.write(new LocalStoreFormat.Contents("{\"i\":1}".getBytes(StandardCharsets.UTF_8),
                Map.of("a#v1", bytes("first"), "a#v2", bytes(""), "b~2Fc#v1", bytes("third"))), PW);

        LocalStoreFormat.Contents read = LocalStoreFormat.read(file, PW);
        assertThat(new String(read.index(), StandardCharsets.UTF_8)).isEqualTo("{\"i\":1}");
        assertThat(read.materials()).containsOnlyKeys("a#v1", "a#v2", "b~2Fc#v1");
        assertThat(read.materials().get("a#v1")).isEqualTo(bytes("first"));
        assertThat(read.materials().get("a#v2")).isEmpty();
        assertThat(LocalStoreFormat.readMaterial(file, PW, "b~2Fc#v1")).hasValue(bytes("third"));
        assertThat(new String(file, StandardCharsets.ISO_8859_1)).doesNotContain("first").doesNotContain("a#v1");
    }

    @Test
    void aWrongPasswordIsRefused() throws Exception {
        byte[] file = LocalStoreFormat.write(LocalStoreFormat.Contents.empty(), PW);
        assertThatThrownBy(() -> LocalStoreFormat.read(file, "other".toCharArray())).isInstanceOf(IOException.class);
    }

    @Test
    void aCorruptImageIsRefusedWithAReasonAndNoContent() throws Exception {
        byte[] good = LocalStoreFormat.encode(new LocalStoreFormat.Contents(null, Map.of("x", bytes("secret-value"))));
        assertThat(LocalStoreFormat.decode(good).materials().get("x")).isEqualTo(bytes("secret-value"));

        byte[] truncated = Arrays.copyOf(good, good.length - 3);
        assertThatThrownBy(() -> LocalStoreFormat.decode(truncated)).isInstanceOf(IOException.class)
                .hasMessageNotContaining("secret-value");
        byte[] trailing = Arrays.copyOf(good, good.length + 2);
        assertThatThrownBy(() -> LocalStoreFormat.decode(trailing)).hasMessageContaining("trailing");
        byte[] notOurs = bytes("definitely not an image");
        assertThatThrownBy(() -> LocalStoreFormat.decode(notOurs)).hasMessageContaining("not a Rotor store image");
        byte[] newer = good.clone();
        newer[7] = 9;
        assertThatThrownBy(() -> LocalStoreFormat.decode(newer)).hasMessageContaining("format 9");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

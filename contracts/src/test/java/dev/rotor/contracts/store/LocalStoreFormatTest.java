package dev.rotor.contracts.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStoreFormatTest {
    private static final char[] PW = "store-pw".toCharArray();

    @TempDir
    Path dir;

    @Test
    void contentsSurviveASealAndARead() throws Exception {
        LocalStoreFormat.StoreKey key = LocalStoreFormat.StoreKey.generate();
        write(key, new LocalStoreFormat.Contents("{\"i\":1}".getBytes(StandardCharsets.UTF_8),
                Map.of("a#v1", bytes("first"), "a#v2", bytes(""), "b~2Fc#v1", bytes("third"))));

        LocalStoreFormat.Opened opened = LocalStoreFormat.open(dir, PW);
        LocalStoreFormat.Contents read = opened.contents();
        assertThat(new String(read.index(), StandardCharsets.UTF_8)).isEqualTo("{\"i\":1}");
        assertThat(read.materials()).containsOnlyKeys("a#v1", "a#v2", "b~2Fc#v1");
        assertThat(read.materials().get("a#v1")).isEqualTo(bytes("first"));
        assertThat(read.materials().get("a#v2")).isEmpty();
        assertThat(LocalStoreFormat.readMaterial(dir, PW, "b~2Fc#v1")).hasValue(bytes("third"));
        assertThat(LocalStoreFormat.readMaterial(dir, PW, "nope#v1")).isEmpty();
        for (String file : new String[] {LocalStoreFormat.FILE, LocalStoreFormat.IMAGE_FILE}) {
            assertThat(new String(Files.readAllBytes(dir.resolve(file)), StandardCharsets.ISO_8859_1))
                    .doesNotContain("first").doesNotContain("a#v1");
        }

        // The key read back seals images the next reader opens: a save needs no keystore write.
        opened.key().destroy();
        LocalStoreFormat.StoreKey again = LocalStoreFormat.open(dir, PW).key();
        Files.write(dir.resolve(LocalStoreFormat.IMAGE_FILE),
                again.seal(new LocalStoreFormat.Contents(null, Map.of("c#v1", bytes("fourth")))));
        assertThat(LocalStoreFormat.open(dir, PW).contents().materials()).containsOnlyKeys("c#v1");
        assertThat(again.toString()).isEqualTo("StoreKey[redacted]");
    }

    @Test
    void eachSealHasItsOwnNonce() throws Exception {
        LocalStoreFormat.StoreKey key = LocalStoreFormat.StoreKey.generate();
        LocalStoreFormat.Contents contents = new LocalStoreFormat.Contents(null, Map.of("x", bytes("same")));
        assertThat(key.seal(contents)).isNotEqualTo(key.seal(contents));
    }

    @Test
    void aWrongPasswordIsRefused() throws Exception {
        write(LocalStoreFormat.StoreKey.generate(), LocalStoreFormat.Contents.empty());
        assertThatThrownBy(() -> LocalStoreFormat.open(dir, "other".toCharArray())).isInstanceOf(IOException.class);
    }

    @Test
    void aChangedMissingOrForeignImageIsRefusedByName() throws Exception {
        LocalStoreFormat.StoreKey key = LocalStoreFormat.StoreKey.generate();
        LocalStoreFormat.Contents contents = new LocalStoreFormat.Contents(null, Map.of("x", bytes("secret-value")));
        write(key, contents);
        Path image = dir.resolve(LocalStoreFormat.IMAGE_FILE);
        byte[] good = Files.readAllBytes(image);

        byte[] flipped = good.clone();
        flipped[flipped.length - 20] ^= 1;
        Files.write(image, flipped);
        assertThatThrownBy(() -> LocalStoreFormat.open(dir, PW)).isInstanceOf(IOException.class)
                .hasMessageContaining("does not authenticate").hasMessageNotContaining("secret-value");

        byte[] header = good.clone();
        header[7] = 9;
        Files.write(image, header);
        assertThatThrownBy(() -> LocalStoreFormat.open(dir, PW)).hasMessageContaining("format 9");

        Files.write(image, LocalStoreFormat.StoreKey.generate().seal(contents));
        assertThatThrownBy(() -> LocalStoreFormat.open(dir, PW)).hasMessageContaining("another store's key");

        Files.write(image, bytes("definitely not a sealed image, not at all"));
        assertThatThrownBy(() -> LocalStoreFormat.open(dir, PW)).hasMessageContaining("not a sealed Rotor store");

        Files.delete(image);
        assertThatThrownBy(() -> LocalStoreFormat.open(dir, PW)).hasMessageContaining("is missing");

        Files.write(image, good);
        assertThat(LocalStoreFormat.open(dir, PW).contents().materials().get("x")).isEqualTo(bytes("secret-value"));
    }

    @Test
    void formatTwoIsStillRead() throws Exception {
        Files.write(dir.resolve(LocalStoreFormat.FILE), LocalStoreFormat.writeFormat2(
                new LocalStoreFormat.Contents(bytes("{}"), Map.of("a#v1", bytes("old"))), PW));
        LocalStoreFormat.Opened opened = LocalStoreFormat.open(dir, PW);
        assertThat(opened.key()).isNull();
        assertThat(opened.contents().materials().get("a#v1")).isEqualTo(bytes("old"));
        assertThat(LocalStoreFormat.readMaterial(dir, PW, "a#v1")).hasValue(bytes("old"));
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

    private void write(LocalStoreFormat.StoreKey key, LocalStoreFormat.Contents contents) throws Exception {
        Files.write(dir.resolve(LocalStoreFormat.IMAGE_FILE), key.seal(contents));
        Files.write(dir.resolve(LocalStoreFormat.FILE), key.keystoreFile(PW));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

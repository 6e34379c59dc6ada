package dev.rotor.contracts.cipher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class MasterKeyTest {
    private static final String HEX = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    @Test
    void parsesHexInEitherCase() {
        MasterKey lower = MasterKey.fromHex(5, HEX);
        MasterKey upper = MasterKey.fromHex(6, HEX.toUpperCase());

        assertThat(lower.bytes()).isEqualTo(HexFormat.of().parseHex(HEX));
        assertThat(lower.version()).isEqualTo(5);
        assertThat(lower.sameSecretAs(upper)).isTrue();
        assertThat(lower.sameSecretAs(MasterKey.fromHex(5, HEX.replace('0', '1')))).isFalse();
    }

    @Test
    void refusesMalformedKeysWithoutEchoingThem() {
        assertThatThrownBy(() -> MasterKey.fromHex(1, HEX.substring(2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("master key must be 64 hex digits (32 bytes), got 62 characters");
        assertThatThrownBy(() -> MasterKey.fromHex(1, "g" + HEX.substring(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("master key must be hex digits only: character 0 is not one");
        // Character.digit would accept this Arabic-Indic three; a key is ASCII hex only.
        assertThatThrownBy(() -> MasterKey.fromHex(1, HEX.substring(0, 63) + '\u0663'))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("master key must be hex digits only: character 63 is not one");
        assertThatThrownBy(() -> MasterKey.fromHex(1, null)).hasMessage("master key is missing");
        assertThatThrownBy(() -> MasterKey.fromHex(-1, HEX)).hasMessage("master key version must be >= 0, got -1");
    }

    @Test
    void ofCopiesTheCallersBytes() {
        byte[] raw = HexFormat.of().parseHex(HEX);
        MasterKey key = MasterKey.of(1, raw);
        raw[0] = 42;

        assertThat(key.sameSecretAs(MasterKey.fromHex(1, HEX))).isTrue();
        assertThatThrownBy(() -> MasterKey.of(1, new byte[16])).hasMessage("master key must be 32 bytes, got 16");
    }

    @Test
    void destroyZeroesTheBytesAndRefusesFurtherUse() {
        MasterKey key = MasterKey.fromHex(2, HEX);
        byte[] live = key.bytes();

        key.destroy();

        assertThat(live).containsOnly(0);
        assertThat(key.isDestroyed()).isTrue();
        assertThat(key).hasToString("MasterKey[version=2, destroyed]");
        assertThatThrownBy(() -> Codecs.lockbox().deriveKey(key, "t", "c"))
                .isInstanceOf(IllegalStateException.class).hasMessage("master key version 2 has been destroyed");
    }

    @Test
    void aCopyIsDestroyedOnItsOwn() {
        MasterKey key = MasterKey.fromHex(3, HEX);
        MasterKey copy = key.copy();

        key.destroy();

        assertThat(copy.isDestroyed()).isFalse();
        assertThat(copy.version()).isEqualTo(3);
        assertThat(copy.sameSecretAs(MasterKey.fromHex(3, HEX))).isTrue();
        assertThatThrownBy(key::copy).isInstanceOf(IllegalStateException.class)
                .hasMessage("master key version 3 has been destroyed");
    }

    @Test
    void toStringShowsOnlyTheVersion() {
        assertThat(MasterKey.fromHex(7, HEX)).hasToString("MasterKey[version=7]");
    }
}

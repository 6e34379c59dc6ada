package dev.rotor.sync.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotor.contracts.catalog.GeneratorSpec;
import org.junit.jupiter.api.Test;

class EntropyPolicyTest {

    @Test
    void keysNeed128BitsAndTheRefusalGivesTheFigure() {
        EntropyPolicy.check(new GeneratorSpec("hex", 16, null, null));
        assertThatThrownBy(() -> EntropyPolicy.check(new GeneratorSpec("base64", 15, null, null)))
                .isInstanceOf(GeneratorException.class)
                .hasMessage("generator base64 with bytes=15 yields 120.0 bits of entropy; at least 128 bits are "
                        + "required for keys");
    }

    @Test
    void passwordsNeed96BitsOverTheAlphabetLeftAfterExclusions() {
        // 89 characters minus 3 excluded = 86; 15 x log2(86) = 96.4 bits
        assertThat(EntropyPolicy.bits(new GeneratorSpec("password", null, 15, "/+="))).isBetween(96.39, 96.40);
        EntropyPolicy.check(new GeneratorSpec("password", null, 15, "/+="));
        assertThatThrownBy(() -> EntropyPolicy.check(new GeneratorSpec("password", null, 12, Generators.SYMBOLS)))
                .hasMessage("generator password with length=12 over 62 characters yields 71.5 bits of entropy; at "
                        + "least 96 bits are required for passwords");
        assertThatThrownBy(() -> EntropyPolicy.check(new GeneratorSpec("alnum", null, 16, null)))
                .hasMessageContaining("95.3 bits");
    }
}

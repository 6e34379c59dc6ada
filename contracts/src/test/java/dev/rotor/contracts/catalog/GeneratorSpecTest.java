package dev.rotor.contracts.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GeneratorSpecTest {

    @Test
    void passwordSymbolsHoldNothingThatADotenvRenderingCannotCarryEverywhere() {
        assertThat(GeneratorSpec.SYMBOLS).doesNotContain("'", "\"", "\\", "`", "$", " ")
                .isEqualTo("!#%&()*+,-./:;<=>?@[]^_{|}~");
        assertThat(new GeneratorSpec("password", null, 15, null).alphabet()).hasSize(89);
    }

    @Test
    void theEntropyFigureCountsTheAlphabetThatIsReallyUsed() {
        GeneratorSpec fifteen = new GeneratorSpec("password", null, 15, null);
        assertThat(fifteen.entropyFigure()).isEqualTo("97.1 bits (15 characters from 89)");
        assertThat(fifteen.entropyBits()).isGreaterThanOrEqualTo(GeneratorSpec.PASSWORD_MIN_BITS);
        GeneratorSpec fourteen = new GeneratorSpec("password", null, 14, null);
        assertThat(fourteen.entropyFigure()).isEqualTo("90.7 bits (14 characters from 89)");
        assertThat(fourteen.entropyBits()).isLessThan(GeneratorSpec.PASSWORD_MIN_BITS);
    }
}

package dev.rotor.sync.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotor.contracts.catalog.GeneratorSpec;
import dev.rotor.sync.target.DotenvValues;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GeneratorsTest {

    @Test
    void hexHasTwoCharactersPerByte() {
        String v = Generators.generate(new GeneratorSpec("hex", 32, null, null));
        assertThat(v).hasSize(64).matches("[0-9a-f]{64}");
    }

    @Test
    void base64IsStandardPaddedAndDecodesToTheByteCount() {
        String v = Generators.generate(new GeneratorSpec("base64", 64, null, null));
        assertThat(v).matches("[A-Za-z0-9+/]+={0,2}");
        assertThat(Base64.getDecoder().decode(v)).hasSize(64);
    }

    @Test
    void fernetIsAFernetKeyThatTheCodecReads() {
        String v = Generators.generate(new GeneratorSpec("fernet", null, null, null));
        assertThat(v).hasSize(44).matches("[A-Za-z0-9_-]{43}=");
        assertThat(Base64.getUrlDecoder().decode(v)).hasSize(32);
        assertThat(dev.rotor.contracts.cipher.Codecs.fernet().readMasterKey(1, v).version()).isEqualTo(1);
        assertThat(EntropyPolicy.bits(new GeneratorSpec("fernet", null, null, null))).isEqualTo(256.0);
        EntropyPolicy.check(new GeneratorSpec("fernet", null, null, null));
    }

    @Test
    void alnumOf32IsARailsKeyAsDbEncryptionInitPrintsIt() {
        // bin/rails db:encryption:init prints SecureRandom.alphanumeric(32) for each Active Record encryption key.
        GeneratorSpec spec = new GeneratorSpec("alnum", null, 32, null);
        String v = Generators.generate(spec);
        assertThat(v).matches("[A-Za-z0-9]{32}");
        var rails = dev.rotor.contracts.cipher.Codecs.activeRecord(false).withDerivation("a salt",
                dev.rotor.contracts.cipher.ActiveRecordCodec.HashDigest.SHA256);
        assertThat(rails.readMasterKey(1, v).sameSecretAs(rails.readMasterKey(1, Generators.generate(spec))))
                .isFalse();
        EntropyPolicy.check(spec);
    }

    @Test
    void alnumUsesOnlyLettersAndDigits() {
        String v = Generators.generate(new GeneratorSpec("alnum", null, 40, null));
        assertThat(v).hasSize(40).matches("[A-Za-z0-9]{40}");
    }

    @Test
    void passwordHasEveryClassAndNoExcludedCharacter() {
        for (int i = 0; i < 200; i++) {
            String v = Generators.generate(new GeneratorSpec("password", null, 12, "/+=$"));
            assertThat(v).hasSize(12).matches(".*[a-z].*").matches(".*[A-Z].*").matches(".*[0-9].*")
                    .matches(".*[^A-Za-z0-9].*").doesNotContain("/", "+", "=", "$");
        }
    }

    @Test
    void passwordSkipsAClassThatIsExcludedEntirely() {
        String v = Generators.generate(new GeneratorSpec("password", null, 30, Generators.SYMBOLS));
        assertThat(v).matches("[A-Za-z0-9]{30}");
    }

    @Test
    void everyGeneratedValueHasADotenvRenderingThatEveryLoaderReadsBack() {
        for (int i = 0; i < 500; i++) {
            for (GeneratorSpec spec : List.of(new GeneratorSpec("password", null, 64, null),
                    new GeneratorSpec("base64", 48, null, null), new GeneratorSpec("hex", 32, null, null),
                    new GeneratorSpec("alnum", null, 32, null))) {
                String v = Generators.generate(spec);
                assertThat(v).doesNotContain("'", "\"", "\\", "`", "$", " ");
                assertThat(DotenvValues.refusal(v)).as(spec.type()).isEmpty();
            }
        }
    }

    @Test
    void valuesDoNotRepeatAcrossManyDraws() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            seen.add(Generators.generate(new GeneratorSpec("alnum", null, 16, null)));
            seen.add(Generators.generate(new GeneratorSpec("hex", 16, null, null)));
        }
        assertThat(seen).hasSize(4000);
    }

    @Test
    void badSpecsNameTheField() {
        assertThatThrownBy(() -> Generators.generate(new GeneratorSpec("hex", null, null, null)))
                .isInstanceOf(GeneratorException.class).hasMessageContaining("generator.bytes");
        assertThatThrownBy(() -> Generators.generate(new GeneratorSpec("uuid", 1, 1, null)))
                .hasMessageContaining("generator.type 'uuid'");
        assertThatThrownBy(() -> Generators.generate(new GeneratorSpec("password", null, 2, null)))
                .hasMessageContaining("generator.length must be at least 4");
        assertThatThrownBy(() -> Generators.generate(null)).hasMessageContaining("generator.type");
    }
}

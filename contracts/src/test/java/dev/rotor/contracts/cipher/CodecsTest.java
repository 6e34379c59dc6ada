package dev.rotor.contracts.cipher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CodecsTest {
    private static final String KNOWN = "activerecord, activerecord-deterministic, fernet, lockbox, rotor-v1";

    @Test
    void findsEachCodecByItsCatalogName() {
        assertThat(Codecs.byName("lockbox")).isSameAs(Codecs.lockbox());
        assertThat(Codecs.byName("rotor-v1")).isSameAs(Codecs.rotorV1());
        assertThat(Codecs.byName("fernet")).isSameAs(Codecs.fernet());
        assertThat(Codecs.byName("activerecord")).isSameAs(Codecs.activeRecord(false));
        assertThat(Codecs.byName("activerecord-deterministic")).isSameAs(Codecs.activeRecord(true));
        assertThat(Codecs.names()).containsExactly("activerecord", "activerecord-deterministic", "fernet", "lockbox",
                "rotor-v1");
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        assertThatThrownBy(() -> Codecs.byName("Lockbox"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown codec 'Lockbox'; known codecs: " + KNOWN);
        assertThatThrownBy(() -> Codecs.byName(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown codec 'null'; known codecs: " + KNOWN);
    }
}

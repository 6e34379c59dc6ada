package dev.rotor.systemtests;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Set;

/** The shapes a secret value could leak in: as is, hex of its bytes, base64 of its bytes, and decoded if it is itself hex or base64. */
final class LeakForms {
    private LeakForms() {
    }

    static Set<String> of(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        Set<String> forms = new LinkedHashSet<>();
        forms.add(value);
        forms.add(HexFormat.of().formatHex(bytes));
        forms.add(Base64.getEncoder().encodeToString(bytes));
        if (value.matches("[0-9a-fA-F]+") && value.length() % 2 == 0) {
            byte[] raw = HexFormat.of().parseHex(value);
            forms.add(Base64.getEncoder().encodeToString(raw));
        }
        if (value.matches("[A-Za-z0-9+/]+={0,2}") && value.length() % 4 == 0) {
            byte[] raw = Base64.getDecoder().decode(value);
            forms.add(HexFormat.of().formatHex(raw));
        }
        return forms;
    }
}

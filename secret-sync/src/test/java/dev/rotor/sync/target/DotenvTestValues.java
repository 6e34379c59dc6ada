package dev.rotor.sync.target;

import dev.rotor.contracts.catalog.GeneratorSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The values every loader must read back exactly, and the ones no rendering carries (with the reason's gist). */
final class DotenvTestValues {
    private DotenvTestValues() {
    }

    static List<String> portable() {
        List<String> values = new ArrayList<>(List.of(
                "0123456789abcdef", // hex
                GeneratorSpec.UPPER + GeneratorSpec.LOWER + GeneratorSpec.DIGITS + "+/=", // base64
                new GeneratorSpec("alnum", null, 1, null).alphabet(),
                new GeneratorSpec("password", null, 1, null).alphabet(),
                GeneratorSpec.SYMBOLS,
                "", "$", "$HOME", "${HOME:x}", "$(id)", "`id`", "a$b`c`",
                "'", "it's", "it's a #1 pass!", "\"", "say \"hi\"", "\"wrapped\"",
                "back\\slash", "\\leading", "a\\nb", "a\\\"", // literal backslashes: no pair, none at the end
                "#", "a#b", " # x", "x # y", "with space", "  padded  ", " ", "a=b==", "=",
                "~/x", "a:~", "tab\there", "pässwörd€", "-dash", "^caret", "!bang", "*glob?[a]", "semi;colon&|<>"));
        for (GeneratorSpec spec : List.of(new GeneratorSpec("hex", 32, null, null),
                new GeneratorSpec("base64", 33, null, null), new GeneratorSpec("alnum", null, 24, null),
                new GeneratorSpec("password", null, 48, null), new GeneratorSpec("password", null, 48, null),
                new GeneratorSpec("password", null, 48, null))) {
            values.add(dev.rotor.sync.generate.Generators.generate(spec));
        }
        return values;
    }

    /** Refused values and a word their refusal must name. */
    static Map<String, String> refused() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("${HOME}", "${...}");
        values.put("pre${HOME:-x}post", "${...}");
        values.put("two\\\\backslashes", "two backslashes");
        values.put("trailing\\", "ends with a backslash");
        values.put("it's $5", "single quote");
        values.put("it's \"x\"", "single quote");
        values.put("it's a `cmd`", "single quote");
        values.put("it's a \\ back", "single quote");
        values.put("line\nbreak", "line break");
        values.put("carriage\rreturn", "line break");
        values.put("nul\0byte", "NUL");
        return values;
    }
}

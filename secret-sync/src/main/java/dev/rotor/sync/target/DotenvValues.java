package dev.rotor.sync.target;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The value syntax of dotenv files. A value is written so that Node's {@code dotenv}, {@code python-dotenv}, Docker
 * Compose and a shell's {@code set -a; source} all read back the same bytes: bare when every character is inert
 * everywhere, else in single quotes, else (a value holding {@code '} but nothing a double quote treats specially) in
 * double quotes. A value that none of these carries is refused; {@link #refusal} says why, never showing the value.
 * Reading ({@link #parse}) still accepts what people write by hand: double quotes with backslash escapes too.
 */
public final class DotenvValues {
    /** No shell, interpolation, comment or quote meaning anywhere ({@code ~} expands in a shell assignment). */
    private static final Pattern BARE = Pattern.compile("[A-Za-z0-9_./:+=@%,^-]*");
    /** python-dotenv expands this form inside any quotes, and has no escape for it. */
    private static final Pattern PYTHON_DOTENV_VARIABLE = Pattern.compile("\\$\\{[^}:]*(?::-[^}]*)?}");

    private DotenvValues() {
    }

    /** The text to put after {@code NAME=}, or empty when {@link #refusal} has a reason. */
    public static Optional<String> render(String value) {
        if (refusal(value).isPresent()) {
            return Optional.empty();
        }
        if (BARE.matcher(value).matches()) {
            return Optional.of(value);
        }
        // refusal() leaves a single quote only in values a double quote carries literally.
        return Optional.of(value.indexOf('\'') < 0 ? "'" + value + "'" : "\"" + value + "\"");
    }

    /** Why no rendering carries {@code value} to every loader, naming a kind of character, never the value. */
    public static Optional<String> refusal(String value) {
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            return Optional.of("it contains a line break");
        }
        if (value.indexOf('\0') >= 0) {
            return Optional.of("it contains a NUL character, which a shell cannot hold");
        }
        if (PYTHON_DOTENV_VARIABLE.matcher(value).find()) {
            return Optional.of("it contains a ${...} reference, which python-dotenv expands inside any quotes");
        }
        if (value.contains("\\\\")) {
            return Optional.of("it contains two backslashes in a row, which python-dotenv reads as one inside quotes"
                    + " and a shell reads as one outside them");
        }
        if (value.endsWith("\\")) {
            return Optional.of("it ends with a backslash, which escapes the closing quote under Docker Compose's"
                    + " rules and continues the line in a shell");
        }
        if (value.indexOf('\'') >= 0 && value.chars().anyMatch(c -> "\"$`\\".indexOf(c) >= 0)) {
            return Optional.of("it contains a single quote together with one of \" $ ` \\, so neither single nor"
                    + " double quotes carry it");
        }
        return Optional.empty();
    }

    /** The value of the text after {@code NAME=}: quotes and escapes undone, an inline {@code # comment} dropped. */
    public static String parse(String raw) {
        String s = raw.stripLeading();
        if (s.startsWith("\"")) {
            return doubleQuoted(s);
        }
        if (s.startsWith("'")) {
            int end = s.indexOf('\'', 1);
            return end < 0 ? s.substring(1) : s.substring(1, end);
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '#' && (i == 0 || Character.isWhitespace(s.charAt(i - 1)))) {
                return s.substring(0, i).strip();
            }
        }
        return s.strip();
    }

    private static String doubleQuoted(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                return out.toString();
            }
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                switch (n) {
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case '\\', '"', '$' -> out.append(n);
                    default -> out.append('\\').append(n);
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}

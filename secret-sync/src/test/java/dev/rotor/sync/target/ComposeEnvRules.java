package dev.rotor.sync.target;

import java.util.Optional;

/**
 * Docker Compose's documented {@code .env} value rules (docs.docker.com, "Set environment variables", .env syntax),
 * for the text after {@code NAME=}. Compose is not installed here, so this encodes only what the page says:
 * <ol>
 *   <li>{@code VAR=VAL}, {@code VAR="VAL"} and {@code VAR='VAL'} all give {@code VAL};</li>
 *   <li>unquoted and double-quoted values are interpolated ({@code $OTHER}, {@code ${OTHER}}), single-quoted ones
 *       are used literally ({@code '$OTHER'} gives {@code $OTHER}, {@code 'some\tvalue'} gives {@code some\tvalue});</li>
 *   <li>quotes can be escaped with a backslash ({@code 'Let\'s go!'}), so {@code \'} does not close a single-quoted
 *       value;</li>
 *   <li>{@code \n}, {@code \r}, {@code \t} and {@code \\} are escapes in double-quoted values only;</li>
 *   <li>an inline comment on an unquoted value needs a space before the {@code #}; on a quoted value it follows the
 *       closing quote.</li>
 * </ol>
 * The value Compose reads, or empty when the rules leave it undetermined by the text alone (an interpolation, an
 * unterminated quote).
 */
final class ComposeEnvRules {
    private ComposeEnvRules() {
    }

    static Optional<String> read(String text) {
        if (text.startsWith("'")) {
            return singleQuoted(text);
        }
        if (text.startsWith("\"")) {
            return doubleQuoted(text);
        }
        int comment = text.indexOf(" #");
        String value = (comment < 0 ? text : text.substring(0, comment)).strip();
        return value.contains("$") ? Optional.empty() : Optional.of(value);
    }

    private static Optional<String> singleQuoted(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length() && text.charAt(i + 1) == '\'') {
                out.append('\'');
                i++;
            } else if (c == '\'') {
                return closed(text, i, out.toString());
            } else {
                out.append(c);
            }
        }
        return Optional.empty();
    }

    private static Optional<String> doubleQuoted(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '$') {
                return Optional.empty();
            }
            if (c == '\\' && i + 1 < text.length()) {
                char n = text.charAt(++i);
                switch (n) {
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case '\\', '"' -> out.append(n);
                    default -> out.append('\\').append(n);
                }
            } else if (c == '"') {
                return closed(text, i, out.toString());
            } else {
                out.append(c);
            }
        }
        return Optional.empty();
    }

    /** After the closing quote only blanks or a comment may follow. */
    private static Optional<String> closed(String text, int quote, String value) {
        String rest = text.substring(quote + 1).strip();
        return rest.isEmpty() || rest.startsWith("#") ? Optional.of(value) : Optional.empty();
    }
}

package dev.rotor.sync.target;

import java.util.regex.Pattern;

/**
 * The value syntax of dotenv files: bare when the value is plain, else double-quoted with backslash escapes. {@code $}
 * is escaped too, since Docker Compose and most loaders expand it inside double quotes.
 */
public final class DotenvValues {
    private static final Pattern BARE = Pattern.compile("[A-Za-z0-9_./:+=@%,~^-]*");

    private DotenvValues() {
    }

    /** The text to put after {@code NAME=}. */
    public static String render(String value) {
        if (BARE.matcher(value).matches()) {
            return value;
        }
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '$' -> out.append("\\$");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
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

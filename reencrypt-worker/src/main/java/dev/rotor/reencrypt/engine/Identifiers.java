package dev.rotor.reencrypt.engine;

import java.util.regex.Pattern;

/**
 * Table and column names from the catalog. They are the only names that ever reach SQL text, so each is checked
 * against a plain-identifier pattern and then always double-quoted (hence matched case-sensitively).
 */
public final class Identifiers {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    private Identifiers() {
    }

    /** {@code "name"}, or a refusal naming the field. */
    public static String quote(String field, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(field + " '" + name + "' is not a plain identifier "
                    + "([A-Za-z_][A-Za-z0-9_]*, at most 63 characters)");
        }
        return '"' + name + '"';
    }

    /** {@code "table"} or {@code "schema"."table"}. */
    public static String quoteTable(String field, String name) {
        if (name == null) {
            throw new IllegalArgumentException(field + " is missing");
        }
        int dot = name.indexOf('.');
        if (dot < 0) {
            return quote(field, name);
        }
        return quote(field, name.substring(0, dot)) + "." + quote(field, name.substring(dot + 1));
    }
}

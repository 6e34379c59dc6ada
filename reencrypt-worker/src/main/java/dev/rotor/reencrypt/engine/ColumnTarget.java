package dev.rotor.reencrypt.engine;

import dev.rotor.contracts.catalog.ColumnSpec;
import java.util.List;

/**
 * One encrypted column, its names validated and quoted once, and the labels its codec derives the column key from.
 * With a {@code json-path} the column holds a JSON document and the ciphertext is the string at that path: it is read
 * with {@code #>>} and written back with {@code jsonb_set}, so the rest of the document is left as the database holds
 * it at the moment of the write.
 *
 * @param name the catalog's {@code table.column}, followed by the json-path, for messages
 * @param tableName the table as the catalog wrote it, for messages
 * @param labelTable defaults to the table name
 * @param labelColumn defaults to the column name without its {@code _ciphertext} suffix (Lockbox's convention)
 * @param jsonSteps the path as a SQL {@code text[]} literal ({@code '{credentials,token}'}), or null
 */
public record ColumnTarget(String name, String tableName, String table, String id, String column, String labelTable,
        String labelColumn, String jsonSteps) {
    private static final String SUFFIX = "_ciphertext";

    public static ColumnTarget of(ColumnSpec spec) {
        String table = Identifiers.quoteTable("reencrypt.columns.table", spec.table());
        String id = Identifiers.quote("reencrypt.columns.id", spec.id() == null ? "id" : spec.id());
        String column = Identifiers.quote("reencrypt.columns.column", spec.column());
        String labelTable = blank(spec.labelTable()) ? spec.table() : spec.labelTable();
        String labelColumn = !blank(spec.labelColumn()) ? spec.labelColumn()
                : spec.column().endsWith(SUFFIX) && spec.column().length() > SUFFIX.length()
                        ? spec.column().substring(0, spec.column().length() - SUFFIX.length())
                        : spec.column();
        // The steps are letters, digits, '_', '-' and indexes (ColumnSpec.JSON_PATH): safe inside the literal.
        List<String> steps = spec.jsonPathSteps();
        String jsonSteps = steps.isEmpty() ? null : "'{" + String.join(",", steps) + "}'";
        return new ColumnTarget(spec.table() + "." + spec.column() + (jsonSteps == null ? "" : " " + spec.jsonPath()),
                spec.table(), table, id, column, labelTable, labelColumn, jsonSteps);
    }

    /** The ciphertext as text: the column, or the string at the json-path (null when the path is absent). */
    public String value(String alias) {
        String col = alias + "." + column;
        return jsonSteps == null ? col : "(" + col + "::jsonb #>> " + jsonSteps + ")";
    }

    /** The column's new value when its ciphertext becomes {@code newValue} (a text expression). */
    public String assigned(String alias, String newValue) {
        return jsonSteps == null ? newValue
                : "jsonb_set(" + alias + "." + column + "::jsonb, " + jsonSteps + ", to_jsonb(" + newValue + "::text))";
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}

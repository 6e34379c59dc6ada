package dev.rotor.reencrypt.engine;

import dev.rotor.contracts.catalog.ColumnSpec;

/**
 * One encrypted column, its names validated and quoted once, and the labels its codec derives the column key from.
 *
 * @param name the catalog's {@code table.column}, for messages
 * @param labelTable defaults to the table name
 * @param labelColumn defaults to the column name without its {@code _ciphertext} suffix (Lockbox's convention)
 */
public record ColumnTarget(String name, String table, String id, String column, String labelTable,
        String labelColumn) {
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
        return new ColumnTarget(spec.table() + "." + spec.column(), table, id, column, labelTable, labelColumn);
    }

    /** The table name as the catalog wrote it, for messages. */
    public String tableName() {
        return name.substring(0, name.lastIndexOf('.'));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}

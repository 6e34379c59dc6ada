package dev.rotor.contracts.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One encrypted column, with the labels its codec derives column keys from.
 *
 * @param jsonPath where the ciphertext sits when the column holds a JSON document ({@code jsonb}, or {@code json}):
 *     {@code $} followed by {@code .name} and {@code [index]} steps, e.g. {@code $.credentials.token} or
 *     {@code $.keys[0].value}; names are letters, digits, {@code _} and {@code -}. Null: the column is the ciphertext.
 */
public record ColumnSpec(String table, String id, String column,
        @JsonProperty("label-table") String labelTable, @JsonProperty("label-column") String labelColumn,
        @JsonProperty("json-path") String jsonPath) {

    /** The {@code json-path} grammar: {@code $} then one or more {@code .name} or {@code [index]} steps. */
    public static final Pattern JSON_PATH = Pattern.compile("\\$((\\.[A-Za-z_][A-Za-z0-9_-]{0,62})|(\\[\\d{1,6}]))+");
    private static final Pattern STEP = Pattern.compile("\\.([A-Za-z_][A-Za-z0-9_-]*)|\\[(\\d+)]");

    /** A column that holds the ciphertext itself. */
    public ColumnSpec(String table, String id, String column, String labelTable, String labelColumn) {
        this(table, id, column, labelTable, labelColumn, null);
    }

    /**
     * The path's steps, names and array indexes as text ({@code $.keys[0].value} gives {@code keys, 0, value}), as
     * PostgreSQL's {@code #>>} and {@code jsonb_set} take them; empty without a path.
     *
     * @throws IllegalArgumentException when the path does not follow {@link #JSON_PATH}
     */
    public List<String> jsonPathSteps() {
        if (jsonPath == null) {
            return List.of();
        }
        if (!JSON_PATH.matcher(jsonPath).matches()) {
            throw new IllegalArgumentException("reencrypt.columns.json-path '" + jsonPath + "' is not $ followed by"
                    + " .name or [index] steps");
        }
        List<String> steps = new ArrayList<>();
        Matcher m = STEP.matcher(jsonPath.substring(1));
        while (m.find()) {
            steps.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return steps;
    }
}

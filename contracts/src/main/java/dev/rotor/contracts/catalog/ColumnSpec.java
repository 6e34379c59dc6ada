package dev.rotor.contracts.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;

/** One encrypted column, with the labels its codec derives column keys from. */
public record ColumnSpec(String table, String id, String column,
        @JsonProperty("label-table") String labelTable, @JsonProperty("label-column") String labelColumn) {
}

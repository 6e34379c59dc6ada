package dev.rotor.reencrypt.engine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a column's ids into key ranges of about equal row counts, for scale-out: {@code n} = the rows over
 * {@code minRowsPerChunk}, at most {@code maxChunks}, at least 1. The bounds are every {@code rows / n}-th id in id
 * order (one index-ordered scan of the ids); the first range is open below and the last open above, so rows inserted
 * after the plan still fall in a chunk (and the coordinator's verification pass reads every row anyway).
 */
public final class ChunkPlanner {
    private ChunkPlanner() {
    }

    public static List<KeyRange> plan(Database db, ColumnTarget col, long rows, int maxChunks,
            long minRowsPerChunk) {
        long wanted = Math.min(Math.max(1, maxChunks), Math.max(1, rows / Math.max(1, minRowsPerChunk)));
        if (wanted <= 1) {
            return List.of(KeyRange.ALL);
        }
        List<String> upper = new ArrayList<>();
        long step = (rows + wanted - 1) / wanted;
        try (Connection c = db.open(); PreparedStatement ps = c.prepareStatement("SELECT b.id::text FROM (SELECT t."
                + col.id() + " AS id, row_number() OVER (ORDER BY t." + col.id() + ") AS r FROM " + col.table()
                + " AS t WHERE " + col.value("t") + " IS NOT NULL) AS b WHERE b.r % ? = 0 ORDER BY b.r LIMIT ?")) {
            ps.setLong(1, step);
            ps.setLong(2, wanted - 1);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    upper.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw SqlErrors.wrap("datasource error while planning chunks of " + col.name(), e);
        }
        List<KeyRange> ranges = new ArrayList<>();
        String after = null;
        for (int i = 0; i < upper.size(); i++) {
            ranges.add(new KeyRange(after, upper.get(i)));
            after = upper.get(i);
        }
        ranges.add(new KeyRange(after, null));
        return List.copyOf(ranges);
    }
}

package dev.rotor.reencrypt.engine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;

/**
 * Keyset pages over one column, ordered by the id. The last id is kept as the driver's native object (UUID, Long,
 * String, …) and bound back as such, so the comparison runs on the column's own type and its primary-key index;
 * the text form is only the row id given to the codec and to reports.
 */
final class ChunkReader implements AutoCloseable {
    private final PreparedStatement first;
    private final PreparedStatement after;
    private final PreparedStatement range;
    private final int chunkSize;
    private final KeyRange bounds;

    ChunkReader(Connection c, ColumnTarget col, int chunkSize) throws SQLException {
        this(c, col, chunkSize, KeyRange.ALL);
    }

    /** Pages of the ids in {@code bounds} only (a scale-out chunk). */
    ChunkReader(Connection c, ColumnTarget col, int chunkSize, KeyRange bounds) throws SQLException {
        this.chunkSize = chunkSize;
        this.bounds = bounds;
        // A row with no ciphertext (NULL, or a document without the json-path) has nothing to re-encrypt.
        String select = "SELECT t." + col.id() + ", t." + col.id() + "::text, " + col.value("t") + " FROM "
                + col.table() + " AS t WHERE " + col.value("t") + " IS NOT NULL"
                + (bounds.after() == null ? "" : " AND t." + col.id() + " > ?")
                + (bounds.upTo() == null ? "" : " AND t." + col.id() + " <= ?");
        String order = " ORDER BY t." + col.id();
        first = c.prepareStatement(select + order + " LIMIT ?");
        after = c.prepareStatement(select + " AND t." + col.id() + " > ?" + order + " LIMIT ?");
        range = c.prepareStatement(select + " AND t." + col.id() + " >= ? AND t." + col.id() + " <= ?" + order);
    }

    /** The first {@code limit} rows, for the pre-flight sample. */
    Chunk first(int limit) throws SQLException {
        first.setInt(bind(first), limit);
        return read(first, limit);
    }

    /** The page after {@code lastId} (null: the first page). */
    Chunk next(Object lastId) throws SQLException {
        if (lastId == null) {
            return first(chunkSize);
        }
        int n = bind(after);
        after.setObject(n, lastId);
        after.setInt(n + 1, chunkSize);
        return read(after, chunkSize);
    }

    /** Rows {@code only} of an earlier page, read again after the application changed them. */
    Chunk range(Object firstId, Object lastId, java.util.Set<String> only) throws SQLException {
        int n = bind(range);
        range.setObject(n, firstId);
        range.setObject(n + 1, lastId);
        Chunk chunk = new Chunk(only.size());
        try (ResultSet rs = range.executeQuery()) {
            while (rs.next() && chunk.size < only.size()) {
                String id = rs.getString(2);
                if (only.contains(id)) {
                    chunk.add(rs.getObject(1), id, rs.getString(3));
                }
            }
        }
        return chunk;
    }

    /** Binds the range's bounds; returns the next parameter index. */
    private int bind(PreparedStatement ps) throws SQLException {
        int n = 1;
        if (bounds.after() != null) {
            ps.setObject(n++, bounds.after(), Types.OTHER);
        }
        if (bounds.upTo() != null) {
            ps.setObject(n++, bounds.upTo(), Types.OTHER);
        }
        return n;
    }

    private static Chunk read(PreparedStatement ps, int capacity) throws SQLException {
        Chunk chunk = new Chunk(capacity);
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                chunk.add(rs.getObject(1), rs.getString(2), rs.getString(3));
            }
        }
        return chunk;
    }

    @Override
    public void close() throws SQLException {
        first.close();
        after.close();
        range.close();
    }
}

package dev.rotor.reencrypt.engine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

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

    ChunkReader(Connection c, ColumnTarget col, int chunkSize) throws SQLException {
        this.chunkSize = chunkSize;
        // A row with no ciphertext (NULL, or a document without the json-path) has nothing to re-encrypt.
        String select = "SELECT t." + col.id() + ", t." + col.id() + "::text, " + col.value("t") + " FROM "
                + col.table() + " AS t WHERE " + col.value("t") + " IS NOT NULL";
        String order = " ORDER BY t." + col.id();
        first = c.prepareStatement(select + order + " LIMIT ?");
        after = c.prepareStatement(select + " AND t." + col.id() + " > ?" + order + " LIMIT ?");
        range = c.prepareStatement(select + " AND t." + col.id() + " >= ? AND t." + col.id() + " <= ?" + order);
    }

    /** The first {@code limit} rows, for the pre-flight sample. */
    Chunk first(int limit) throws SQLException {
        first.setInt(1, limit);
        return read(first, limit);
    }

    /** The page after {@code lastId} (null: the first page). */
    Chunk next(Object lastId) throws SQLException {
        if (lastId == null) {
            return first(chunkSize);
        }
        after.setObject(1, lastId);
        after.setInt(2, chunkSize);
        return read(after, chunkSize);
    }

    /** Rows {@code only} of an earlier page, read again after the application changed them. */
    Chunk range(Object firstId, Object lastId, java.util.Set<String> only) throws SQLException {
        range.setObject(1, firstId);
        range.setObject(2, lastId);
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

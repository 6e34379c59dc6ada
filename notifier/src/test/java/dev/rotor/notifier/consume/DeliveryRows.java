package dev.rotor.notifier.consume;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;

/** What the notifier's delivery store holds, read straight from its tables for tests to assert. */
final class DeliveryRows {
    private DeliveryRows() {
    }

    /** The state of each channel's claim of one milestone: {@code CLAIMED} or {@code DELIVERED}, by channel. */
    static Map<String, String> states(DataSource db, String eventId) throws SQLException {
        Map<String, String> states = new LinkedHashMap<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT channel, state FROM notifier.deliveries WHERE event_id = ? ORDER BY channel")) {
            ps.setString(1, eventId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    states.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return states;
    }

    /** Every column of every row of both tables as text (payloads as UTF-8), for scans for secrets. */
    static String dump(DataSource db) throws SQLException {
        StringBuilder text = new StringBuilder();
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            for (String table : new String[] {"notifier.deliveries", "notifier.rotation_memory"}) {
                try (ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= columns; i++) {
                            Object value = rs.getObject(i);
                            text.append(value instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : value)
                                    .append(' ');
                        }
                        text.append('\n');
                    }
                }
            }
        }
        return text.toString();
    }
}

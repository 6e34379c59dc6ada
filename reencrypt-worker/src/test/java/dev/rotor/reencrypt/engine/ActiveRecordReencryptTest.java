package dev.rotor.reencrypt.engine;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.contracts.catalog.ColumnSpec;
import dev.rotor.contracts.cipher.ActiveRecordCodec;
import dev.rotor.contracts.cipher.Codecs;
import dev.rotor.contracts.cipher.ColumnKey;
import dev.rotor.contracts.cipher.MasterKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The engine on a Rails table whose column holds Active Record encryption messages, while the app keeps writing. */
class ActiveRecordReencryptTest {
    private static final int ROWS = 700;
    private static final ActiveRecordCodec CODEC = Codecs.activeRecord(false).withDerivation(
            "g7Q66StqUQDQk9SJ81sWbYZXgiRogBwS", ActiveRecordCodec.HashDigest.SHA256);

    private static Database db;
    private static Connection c;
    private final MasterKey v1 = CODEC.readMasterKey(1, "a1cc4d7b9f420e40a337b9e68c5ecec6");
    private final MasterKey v2 = CODEC.readMasterKey(2, "bc17e7b413fd4720716a7633027f8cc4");
    private final ReencryptEngine engine = new ReencryptEngine(EngineSettings.defaults().withChunkSize(200));

    @BeforeAll
    static void connect() throws Exception {
        db = TestDb.database();
        c = db.open();
    }

    @AfterAll
    static void close() throws Exception {
        c.close();
    }

    @Test
    void onlineRunRewritesOnlyTheRowsStillUnderTheOldKeyAndKeepsEachValuesShape() throws Exception {
        String table = "rails_online";
        ColumnKey oldKey = ActiveRecordTable.key(CODEC, v1, table);
        Map<Long, String> plaintexts = ActiveRecordTable.create(c, table, ROWS, CODEC, v1,
                CODEC.encrypt(oldKey, null, "first".getBytes(UTF_8)), "first");
        // As during the grace, the app (primary_key: [old, new]) already wrote some rows under the new key.
        ColumnKey newKey = ActiveRecordTable.key(CODEC, v2, table);
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET name = ? WHERE id = ?")) {
            for (long id = 1; id <= 50; id++) {
                ps.setString(1, CODEC.encrypt(newKey, null, plaintexts.get(id).getBytes(UTF_8)));
                ps.setLong(2, id);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        Map<Long, String> before = ActiveRecordTable.stored(c, table);

        ReencryptReport report = engine.run(db, new ReencryptJob(CODEC, List.of(ColumnTarget.of(
                new ColumnSpec(table, "id", ActiveRecordTable.COLUMN, null, null))), Mode.ONLINE, false, v1, v2),
                RunControl.NONE);

        assertThat(report.rewritten()).isEqualTo(ROWS - 50);
        assertThat(ActiveRecordTable.decrypted(c, table, CODEC, v2)).isEqualTo(plaintexts);
        Map<Long, String> after = ActiveRecordTable.stored(c, table);
        for (long id = 1; id <= ROWS; id++) {
            assertThat(after.get(id).contains("\"c\":true")).as("row %d compressed", id)
                    .isEqualTo(before.get(id).contains("\"c\":true"));
        }
        assertThat(after).anySatisfy((id, v) -> assertThat(v).contains("\"c\":true"));
        for (long id = 1; id <= 50; id++) {
            assertThat(after.get(id)).isEqualTo(before.get(id));
        }
    }
}

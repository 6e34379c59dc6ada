package dev.rotor.reencrypt.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.contracts.catalog.ColumnSpec;
import dev.rotor.contracts.cipher.Codecs;
import dev.rotor.contracts.cipher.ColumnKey;
import dev.rotor.contracts.cipher.MasterKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The engine on a Django-style table of Fernet tokens, the codec chosen by its catalog name. */
class FernetReencryptTest {
    private static final String OLD_KEY = "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=";
    private static final String NEW_KEY = "Yl3GvX3r8xXh0H6b8XGm1ePj7m2rJ2m6aXQx0b1k9sQ=";
    private static final int ROWS = 700;

    private static Database db;
    private static Connection c;
    private final MasterKey v1 = FernetTable.CODEC.readMasterKey(1, OLD_KEY);
    private final MasterKey v2 = FernetTable.CODEC.readMasterKey(2, NEW_KEY);
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
    void atomicRunMovesEveryTokenToTheNewKeyAndCompensationBringsThemBack() throws Exception {
        Map<Long, String> plaintexts = FernetTable.create(c, "fernet_atomic", ROWS, v1);
        Map<Long, Long> times = FernetTable.timestamps(c, "fernet_atomic");

        ReencryptReport report = engine.run(db, job("fernet_atomic", Mode.ATOMIC, v1, v2), RunControl.NONE);

        assertThat(report.rewritten()).isEqualTo(ROWS);
        assertThat(FernetTable.decrypted(c, "fernet_atomic", v2)).isEqualTo(plaintexts);
        assertThat(FernetTable.timestamps(c, "fernet_atomic")).as("token times, as MultiFernet.rotate keeps them")
                .isEqualTo(times);
        assertThat(FernetTable.underKey(c, "fernet_atomic", v1)).isZero();

        engine.run(db, job("fernet_atomic", Mode.ATOMIC, v1, v2).reversed(), RunControl.NONE);
        assertThat(FernetTable.decrypted(c, "fernet_atomic", v1)).isEqualTo(plaintexts);
    }

    @Test
    void onlineRunRewritesOnlyTheRowsStillUnderTheOldKey() throws Exception {
        Map<Long, String> plaintexts = FernetTable.create(c, "fernet_online", ROWS, v1);
        // As during the grace, the app (MultiFernet([new, old])) already wrote some rows under the new key.
        ColumnKey newKey = FernetTable.key(v2, "fernet_online");
        try (PreparedStatement ps = c.prepareStatement("UPDATE fernet_online SET token = ? WHERE id = ?")) {
            for (long id = 1; id <= 50; id++) {
                ps.setString(1, FernetTable.CODEC.encrypt(newKey, null, HexFormat.of().parseHex(plaintexts.get(id))));
                ps.setLong(2, id);
                ps.addBatch();
            }
            ps.executeBatch();
        }

        ReencryptReport report = engine.run(db, job("fernet_online", Mode.ONLINE, v1, v2), RunControl.NONE);

        assertThat(report.rewritten()).isEqualTo(ROWS - 50);
        assertThat(FernetTable.decrypted(c, "fernet_online", v2)).isEqualTo(plaintexts);
    }

    private static ReencryptJob job(String table, Mode mode, MasterKey from, MasterKey to) {
        return new ReencryptJob(Codecs.byName("fernet"), List.of(ColumnTarget.of(new ColumnSpec(table, "id",
                FernetTable.COLUMN, null, null))), mode, false, from, to);
    }
}

package dev.rotor.reencrypt.engine;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.contracts.catalog.ColumnSpec;
import dev.rotor.contracts.cipher.Codecs;
import dev.rotor.contracts.cipher.ColumnKey;
import dev.rotor.contracts.cipher.FernetCodec;
import dev.rotor.contracts.cipher.MasterKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The engine on a Django-style table whose column holds Fernet tokens, codec chosen by its catalog name. */
class FernetReencryptTest {
    private static final String OLD_KEY = "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=";
    private static final String NEW_KEY = "Yl3GvX3r8xXh0H6b8XGm1ePj7m2rJ2m6aXQx0b1k9sQ=";
    private static final int ROWS = 700;
    private static final FernetCodec CODEC = (FernetCodec) Codecs.byName("fernet");

    private static Database db;
    private static Connection c;
    private final MasterKey v1 = CODEC.readMasterKey(1, OLD_KEY);
    private final MasterKey v2 = CODEC.readMasterKey(2, NEW_KEY);
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
        Map<Long, String> plaintexts = seed("fernet_atomic", v1);

        ReencryptReport report = engine.run(db, job("fernet_atomic", Mode.ATOMIC, v1, v2), RunControl.NONE);

        assertThat(report.rewritten()).isEqualTo(ROWS);
        assertThat(decrypted("fernet_atomic", v2)).containsExactlyInAnyOrderEntriesOf(plaintexts);
        assertThat(underKey("fernet_atomic", v1)).isZero();

        engine.run(db, job("fernet_atomic", Mode.ATOMIC, v1, v2).reversed(), RunControl.NONE);
        assertThat(decrypted("fernet_atomic", v1)).containsExactlyInAnyOrderEntriesOf(plaintexts);
    }

    @Test
    void onlineRunRewritesOnlyTheRowsStillUnderTheOldKey() throws Exception {
        Map<Long, String> plaintexts = seed("fernet_online", v1);
        // As during the grace, the app (MultiFernet([new, old])) already wrote some rows under the new key.
        ColumnKey newKey = key(v2, "fernet_online");
        try (PreparedStatement ps = c.prepareStatement("UPDATE fernet_online SET token = ? WHERE id = ?")) {
            for (long id = 1; id <= 50; id++) {
                ps.setString(1, CODEC.encrypt(newKey, null, HexFormat.of().parseHex(plaintexts.get(id))));
                ps.setLong(2, id);
                ps.addBatch();
            }
            ps.executeBatch();
        }

        ReencryptReport report = engine.run(db, job("fernet_online", Mode.ONLINE, v1, v2), RunControl.NONE);

        assertThat(report.rewritten()).isEqualTo(ROWS - 50);
        assertThat(decrypted("fernet_online", v2)).containsExactlyInAnyOrderEntriesOf(plaintexts);
    }

    private static ReencryptJob job(String table, Mode mode, MasterKey from, MasterKey to) {
        return new ReencryptJob(CODEC, List.of(ColumnTarget.of(new ColumnSpec(table, "id", "token", null, null))),
                mode, false, from, to);
    }

    private static ColumnKey key(MasterKey master, String table) {
        return CODEC.deriveKey(master, table, "token");
    }

    private static Map<Long, String> seed(String table, MasterKey master) throws Exception {
        try (Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + table);
            st.execute("CREATE TABLE " + table + " (id bigint PRIMARY KEY, token text)");
        }
        ColumnKey key = key(master, table);
        Map<Long, String> plaintexts = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (id, token) VALUES (?, ?)")) {
            for (long id = 1; id <= ROWS; id++) {
                byte[] plaintext = switch ((int) (id % 4)) {
                    case 0 -> new byte[0];
                    case 1 -> ("user-" + id + "@example.org").getBytes(UTF_8);
                    case 2 -> ("clé 🔑 " + id).getBytes(UTF_8);
                    default -> new byte[(int) id % 97 * 11];
                };
                plaintexts.put(id, HexFormat.of().formatHex(plaintext));
                ps.setLong(1, id);
                ps.setString(2, CODEC.encrypt(key, null, plaintext));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return plaintexts;
    }

    private static Map<Long, String> decrypted(String table, MasterKey master) throws Exception {
        ColumnKey key = key(master, table);
        Map<Long, String> out = new HashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id, token FROM " + table)) {
            while (rs.next()) {
                out.put(rs.getLong(1), HexFormat.of().formatHex(CODEC.decrypt(key, null, rs.getString(2))));
            }
        }
        return out;
    }

    private static long underKey(String table, MasterKey master) throws Exception {
        ColumnKey key = key(master, table);
        long n = 0;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT token FROM " + table)) {
            while (rs.next()) {
                n += CODEC.isUnder(key, null, rs.getString(1)) ? 1 : 0;
            }
        }
        return n;
    }
}

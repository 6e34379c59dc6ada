package dev.rotor.reencrypt.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rotor.contracts.catalog.ColumnSpec;
import dev.rotor.contracts.cipher.ColumnCodec;
import dev.rotor.contracts.cipher.ColumnKey;
import dev.rotor.contracts.cipher.Codecs;
import dev.rotor.contracts.cipher.MasterKey;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A {@code json-path} column on a real PostgreSQL: apps that keep an encrypted field inside a JSONB document
 * ({@code settings.credentials.token}). The ciphertext at the path is re-encrypted; every other field, and documents
 * without the path, stay as they were.
 */
class JsonColumnReencryptTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ColumnCodec CODEC = Codecs.lockbox();
    private static final String PATH = "$.credentials.token";
    private static final int ROWS = 3_000;

    private static Database db;
    private static Connection c;
    private final MasterKey v1 = TestDb.randomKey(1);
    private final MasterKey v2 = TestDb.randomKey(2);
    private final ReencryptEngine engine = new ReencryptEngine(EngineSettings.defaults().withChunkSize(500));

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
    void atomicRunReencryptsTheStringAtThePathAndLeavesTheRestOfEachDocument() throws Exception {
        Map<Long, String> plain = create("integrations_atomic", "jsonb", ROWS);
        Map<Long, String> before = documents("integrations_atomic");

        ReencryptReport report = engine.run(db, job("integrations_atomic", Mode.ATOMIC, v1, v2), RunControl.NONE);

        assertThat(report.rewritten()).isEqualTo(ROWS);
        assertThat(report.summary()).startsWith(ROWS + " rows re-encrypted in 1 column");
        assertThat(tokens("integrations_atomic", v2)).isEqualTo(plain);
        assertEverythingElseUnchanged(before, documents("integrations_atomic"));
    }

    @Test
    void onlineRunAndItsCompensationOnAJsonColumnRoundTrip() throws Exception {
        Map<Long, String> plain = create("integrations_online", "json", ROWS);
        Map<Long, String> before = documents("integrations_online");
        ReencryptJob forward = job("integrations_online", Mode.ONLINE, v1, v2);

        assertThat(engine.run(db, forward, RunControl.NONE).rewritten()).isEqualTo(ROWS);
        assertThat(tokens("integrations_online", v2)).isEqualTo(plain);
        assertEverythingElseUnchanged(before, documents("integrations_online"));

        assertThat(engine.run(db, forward.reversed(), RunControl.NONE).rewritten()).isEqualTo(ROWS);
        assertThat(tokens("integrations_online", v1)).isEqualTo(plain);
        assertEverythingElseUnchanged(before, documents("integrations_online"));
    }

    @Test
    void aNonStringAtThePathIsUndecryptableAndAbortsNamingTheRow() throws Exception {
        create("integrations_bad", "jsonb", 400);
        execute("UPDATE integrations_bad SET settings = jsonb_set(settings, '{credentials,token}', '12345') WHERE id = 77");
        String checksum = scalar("SELECT md5(string_agg(settings::text, ',' ORDER BY id)) FROM integrations_bad");
        assertThatThrownBy(() -> engine.run(db, job("integrations_bad", Mode.ATOMIC, v1, v2), RunControl.NONE))
                .isInstanceOf(ReencryptException.class)
                .hasMessageStartingWith("pre-flight: row 77 of table integrations_bad (column integrations_bad.settings "
                        + PATH + ") does not decrypt with key version 1");
        assertThat(scalar("SELECT md5(string_agg(settings::text, ',' ORDER BY id)) FROM integrations_bad"))
                .isEqualTo(checksum);
    }

    private ReencryptJob job(String table, Mode mode, MasterKey from, MasterKey to) {
        return new ReencryptJob(CODEC, List.of(ColumnTarget.of(new ColumnSpec(table, "id", "settings", "integrations",
                "token", PATH))), mode, false, from, to);
    }

    /**
     * {@code rows} documents with a token under {@code v1}, plus documents the pass must not touch: one whose
     * credentials have no token, one whose token is JSON null, one with no credentials, and a SQL NULL.
     */
    private Map<Long, String> create(String table, String type, int rows) throws Exception {
        execute("DROP TABLE IF EXISTS " + table);
        execute("CREATE TABLE " + table + " (id bigint PRIMARY KEY, settings " + type + ")");
        ColumnKey key = CODEC.deriveKey(v1, "integrations", "token");
        Map<Long, String> plain = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?::" + type + ")")) {
            for (long id = 1; id <= rows + 4; id++) {
                ObjectNode doc = JSON.createObjectNode().put("name", "service-" + id);
                ObjectNode credentials = doc.putObject("credentials").put("user", "u" + id);
                doc.putArray("scopes").add("read").add(id % 2 == 0 ? "write" : "admin");
                doc.put("retries", id % 7);
                if (id <= rows) {
                    String secret = "sk_live_" + id + "_" + Long.toHexString(id * 7919);
                    plain.put(id, secret);
                    credentials.put("token", CODEC.encrypt(key, Long.toString(id), secret.getBytes(StandardCharsets.UTF_8)));
                } else if (id == rows + 2) {
                    credentials.putNull("token");
                } else if (id == rows + 3) {
                    doc.remove("credentials");
                }
                ps.setLong(1, id);
                ps.setString(2, id == rows + 4 ? null : JSON.writeValueAsString(doc));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return plain;
    }

    /** Each row's token decrypted under {@code master}, for the rows that have one. */
    private Map<Long, String> tokens(String table, MasterKey master) throws Exception {
        ColumnKey key = CODEC.deriveKey(master, "integrations", "token");
        Map<Long, String> out = new LinkedHashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id, settings::jsonb #>> "
                + "'{credentials,token}' FROM " + table + " WHERE settings::jsonb #>> '{credentials,token}' IS NOT NULL"
                + " ORDER BY id")) {
            while (rs.next()) {
                out.put(rs.getLong(1), new String(CODEC.decrypt(key, rs.getString(1), rs.getString(2)),
                        StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private Map<Long, String> documents(String table) throws Exception {
        Map<Long, String> out = new LinkedHashMap<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT id, settings::text FROM " + table + " ORDER BY id")) {
            while (rs.next()) {
                out.put(rs.getLong(1), rs.getString(2));
            }
        }
        return out;
    }

    /** Every document equals its earlier self once the token is left out; the ones without a token, exactly. */
    private static void assertEverythingElseUnchanged(Map<Long, String> before, Map<Long, String> after)
            throws Exception {
        assertThat(after.keySet()).isEqualTo(before.keySet());
        int changed = 0;
        for (Map.Entry<Long, String> e : before.entrySet()) {
            String now = after.get(e.getKey());
            if (e.getValue() == null) {
                assertThat(now).isNull();
                continue;
            }
            JsonNode was = JSON.readTree(e.getValue());
            JsonNode is = JSON.readTree(now);
            if (!was.path("credentials").path("token").isTextual()) {
                assertThat(is).as("row %d has no token", e.getKey()).isEqualTo(was);
                continue;
            }
            assertThat(is.path("credentials").path("token").asText())
                    .isNotEqualTo(was.path("credentials").path("token").asText());
            ((ObjectNode) was.path("credentials")).remove("token");
            ((ObjectNode) is.path("credentials")).remove("token");
            assertThat(is).as("row %d besides its token", e.getKey()).isEqualTo(was);
            changed++;
        }
        assertThat(changed).isEqualTo(before.size() - 4);
    }

    private static String scalar(String sql) throws Exception {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void execute(String sql) throws Exception {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}

package dev.rotor.local.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.contracts.audit.AuditChain;
import dev.rotor.contracts.audit.AuditEntry;
import dev.rotor.local.PgServer;
import dev.rotor.local.PostgresResource;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code rotor audit verify} against a real PostgreSQL holding the orchestrator's own migration: an intact chain,
 * then an edit, a reordering and a deletion at the end, each named; a checkpoint that does not match; a database with
 * no audit log.
 */
class AuditCommandTest {
    static final String MIGRATION = "../../orchestrator/src/main/resources/db/migration/V5__audit_log.sql";
    static final UUID ROTATION = UUID.fromString("5b0c7f3e-2a51-4a8e-9c1d-0f6b2d9e4a10");
    static PgServer pg;

    @TempDir
    static Path dir;
    static Path password;

    @BeforeAll
    static void server() throws Exception {
        pg = PostgresResource.server();
        password = Files.createFile(dir.resolve("pg.password"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(password, pg.password());
    }

    @Test
    void namesEachTamperingAndPassesAnIntactChain() throws Exception {
        String db = database("audit_cli");
        List<String> hashes = append(db, 6);
        assertThat(verify(db)).isEqualTo(new Result(0, "audit chain OK: 6 entries, head entry 6 hash "
                + hashes.get(5) + "\n"));
        assertThat(verify(db, "--checkpoint", "4:" + hashes.get(3)).code()).isZero();
        Result wrongAnchor = verify(db, "--checkpoint", "4:" + hashes.get(2));
        assertThat(wrongAnchor.code()).isEqualTo(1);
        assertThat(wrongAnchor.output()).contains("entry 4 differs from the published checkpoint");

        try (Connection c = connect(db); Statement st = c.createStatement()) {
            st.execute("alter table audit_entry disable trigger audit_entry_no_update_delete");
            st.executeUpdate("update audit_entry set subject = 'mallory' where seq = 2");
            assertThat(verify(db).output()).startsWith("audit chain BROKEN (1 problem in 6 entries); first: entry 2"
                    + " was edited: its hash does not match its content (kind step-started");

            // Entries 4 and 5 swap places.
            st.executeUpdate("update audit_entry set seq = -4 where seq = 4");
            st.executeUpdate("update audit_entry set seq = 4 where seq = 5");
            st.executeUpdate("update audit_entry set seq = 5 where seq = -4");
            assertThat(verify(db).output()).contains("\n  also: entry 4 was reordered: it was written as entry 5");

            st.executeUpdate("delete from audit_entry where seq = 6");
            Result tail = verify(db);
            assertThat(tail.code()).isEqualTo(1);
            assertThat(tail.output()).startsWith("audit chain BROKEN").contains("first: entry 2 was edited")
                    .contains("also: entry 6, the last one, was deleted: the chain ends at entry 5 but its head is"
                            + " entry 6");
        }
    }

    @Test
    void aDatabaseWithoutAnAuditLogIsUnreadableNotIntact() throws Exception {
        String db = "audit_cli_none";
        PostgresResource.jdbcUrl(db);
        Result r = verify(db);
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.output()).startsWith("audit log unreadable: ").contains("audit_head");
    }

    record Result(int code, String output) {
    }

    static Result verify(String db, String... more) {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new AuditCommand());
        cli.setOut(new PrintWriter(out, true));
        List<String> args = new java.util.ArrayList<>(List.of("verify", "--jdbc-url", pg.jdbcUrl(db), "--user",
                pg.user(), "--password-file", password.toString()));
        args.addAll(List.of(more));
        int code = cli.execute(args.toArray(String[]::new));
        return new Result(code, out.toString());
    }

    private static String database(String name) throws Exception {
        PostgresResource.jdbcUrl(name);
        try (Connection c = connect(name); Statement st = c.createStatement()) {
            st.execute("drop table if exists audit_entry, audit_head cascade");
            st.execute("drop function if exists audit_entry_append_only, audit_head_forward_only cascade");
            st.execute(Files.readString(Path.of(MIGRATION)));
        }
        return name;
    }

    /** Appends like the orchestrator: under the head's lock, seq head + 1, hashed by the shared chain code. */
    private static List<String> append(String db, int n) throws Exception {
        List<String> hashes = new java.util.ArrayList<>();
        try (Connection c = connect(db)) {
            String prev = AuditChain.GENESIS;
            for (int i = 1; i <= n; i++) {
                AuditEntry e = new AuditEntry(i, Instant.parse("2026-11-22T02:00:00Z").plusSeconds(i),
                        i == 1 ? "rotation-requested" : "step-started", i == 1 ? "alice" : "orchestrator",
                        i == 1 ? List.of("operator", "viewer") : List.of(), i == 1 ? "rest" : "engine",
                        i == 1 ? "quarterly" : null, i == 1 ? "127.0.0.1" : null, "jwt-secret", ROTATION,
                        AuditChain.detail(java.util.Map.of("attempt", i)));
                String hash = AuditChain.hash(prev, e);
                try (PreparedStatement ps = c.prepareStatement("insert into audit_entry (seq, at, kind, subject,"
                        + " roles, source, reason, client_address, secret_id, rotation_id, detail, prev_hash, hash)"
                        + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    ps.setLong(1, e.seq());
                    ps.setObject(2, OffsetDateTime.ofInstant(e.at(), ZoneOffset.UTC));
                    ps.setString(3, e.kind());
                    ps.setString(4, e.subject());
                    ps.setString(5, String.join(",", e.roles()));
                    ps.setString(6, e.source());
                    ps.setString(7, e.reason());
                    ps.setString(8, e.clientAddress());
                    ps.setString(9, e.secretId());
                    ps.setObject(10, e.rotationId());
                    ps.setString(11, e.detail());
                    ps.setString(12, prev);
                    ps.setString(13, hash);
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("update audit_head set seq = ?, hash = ?")) {
                    ps.setLong(1, i);
                    ps.setString(2, hash);
                    ps.executeUpdate();
                }
                hashes.add(hash);
                prev = hash;
            }
        }
        return hashes;
    }

    private static Connection connect(String db) throws Exception {
        return DriverManager.getConnection(pg.jdbcUrl(db), pg.user(), pg.password());
    }
}

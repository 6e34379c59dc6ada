package dev.rotor.local.audit;

import dev.rotor.contracts.audit.AuditEntry;
import dev.rotor.contracts.audit.ChainVerifier;
import dev.rotor.local.PgPassword;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rotor audit verify}: reads the orchestrator's audit log straight from its database and walks the hash chain
 * with the same code the orchestrator writes it with ({@code dev.rotor.contracts.audit}). Prints OK with the count and
 * the head, or every problem found, the first (earliest) first. Exit 0 when intact, 1 when tampered with, 2 when the
 * log cannot be read. The password comes from {@code ROTOR_PG_PASSWORD} or an owner-only file, never the command line.
 */
@Command(name = "audit", description = "The orchestrator's audit log.", subcommands = AuditCommand.Verify.class)
public final class AuditCommand implements Runnable {
    static final String PASSWORD_ENV = "ROTOR_PG_PASSWORD";
    static final int INTACT = 0;
    static final int TAMPERED = 1;
    static final int UNREADABLE = 2;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "give a subcommand: verify");
    }

    @Command(name = "verify", description = "Walk the audit chain; name the first entry edited, deleted or reordered.")
    public static final class Verify implements Callable<Integer> {
        private static final String ENTRIES = "select seq, at, kind, subject, roles, source, reason, client_address,"
                + " secret_id, rotation_id, detail, prev_hash, hash from audit_entry order by seq";

        @Option(names = "--jdbc-url", required = true, description = "the orchestrator's database")
        String jdbcUrl;

        @Option(names = "--user", defaultValue = "postgres")
        String user;

        @Option(names = "--password-file", description = "a file (mode 0600) holding the password; without it the"
                + " environment variable " + PASSWORD_ENV + " holds it (default postgres)")
        Path passwordFile;

        @Option(names = "--checkpoint", paramLabel = "SEQ:HASH", description = "also require entry SEQ to have"
                + " HASH, as a published audit-checkpoint says")
        String checkpoint;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            ChainVerifier verifier = new ChainVerifier();
            if (checkpoint != null) {
                String[] parts = checkpoint.split(":", 2);
                if (parts.length != 2 || !parts[0].matches("\\d+") || !parts[1].matches("[0-9a-f]{64}")) {
                    throw new CommandLine.ParameterException(new CommandLine(this),
                            "--checkpoint takes SEQ:HASH, e.g. 42:" + "0".repeat(64));
                }
                verifier.expect(Long.parseLong(parts[0]), parts[1]);
            }
            ChainVerifier.Verdict verdict;
            try (Connection c = DriverManager.getConnection(jdbcUrl, user, password(System.getenv(PASSWORD_ENV)))) {
                verdict = walk(c, verifier);
            } catch (SQLException e) {
                out.println("audit log unreadable: " + e.getMessage().lines().findFirst().orElse("")
                        + " (SQLState " + e.getSQLState() + ")");
                out.flush();
                return UNREADABLE;
            }
            int code = report(verdict, out);
            out.flush();
            return code;
        }

        /**
         * Chains the entries committed but not chained yet (the orchestrator does it every half second), so the walk
         * covers them; a user without the right to, or a database before V9, walks what is chained.
         */
        static void chainPending(Connection c) {
            try (java.sql.Statement st = c.createStatement()) {
                c.setAutoCommit(true);
                st.execute("select audit_chain_pending(2147483647)");
            } catch (SQLException e) {
                // read-only access: verify what is chained
            }
        }

        /** One consistent snapshot: the head and the entries as of the same moment, read in pages. */
        static ChainVerifier.Verdict walk(Connection c, ChainVerifier verifier) throws SQLException {
            chainPending(c);
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try {
                Long headSeq = null;
                String headHash = null;
                try (PreparedStatement ps = c.prepareStatement("select seq, hash from audit_head where id = 1");
                        ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        headSeq = rs.getLong(1);
                        headHash = rs.getString(2);
                    }
                }
                try (PreparedStatement ps = c.prepareStatement(ENTRIES)) {
                    ps.setFetchSize(1000);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            verifier.next(stored(rs));
                        }
                    }
                }
                return verifier.finish(headSeq, headHash);
            } finally {
                c.rollback();
            }
        }

        private static ChainVerifier.Stored stored(ResultSet rs) throws SQLException {
            String roles = rs.getString(5);
            String rotation = rs.getString(10);
            AuditEntry entry = new AuditEntry(rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant(),
                    rs.getString(3), rs.getString(4),
                    roles == null || roles.isEmpty() ? List.of() : Arrays.asList(roles.split(",")), rs.getString(6),
                    rs.getString(7), rs.getString(8), rs.getString(9),
                    rotation == null ? null : UUID.fromString(rotation), rs.getString(11));
            return new ChainVerifier.Stored(entry, rs.getString(12), rs.getString(13));
        }

        static int report(ChainVerifier.Verdict verdict, PrintWriter out) {
            if (verdict.ok()) {
                out.println("audit chain OK: " + verdict.count() + " entries, head entry " + verdict.headSeq()
                        + " hash " + verdict.headHash());
                return INTACT;
            }
            List<String> problems = verdict.problems();
            out.println("audit chain BROKEN (" + problems.size() + " problem" + (problems.size() == 1 ? "" : "s")
                    + " in " + verdict.count() + " entries); first: " + problems.get(0));
            problems.stream().skip(1).forEach(p -> out.println("  also: " + p));
            return TAMPERED;
        }

        String password(String fromEnvironment) throws java.io.IOException {
            return PgPassword.read(passwordFile, fromEnvironment);
        }
    }
}

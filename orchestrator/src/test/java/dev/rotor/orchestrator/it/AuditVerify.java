package dev.rotor.orchestrator.it;

import dev.rotor.local.PgServer;
import dev.rotor.local.PostgresResource;
import dev.rotor.local.audit.AuditCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import picocli.CommandLine;

/** {@code rotor audit verify} as the launcher runs it, against one of the test server's databases. */
final class AuditVerify {
    private AuditVerify() {
    }

    /** The command's exit code and what it printed. */
    record Outcome(int code, String output) {
    }

    static Outcome run(String database) {
        PgServer pg = PostgresResource.server();
        try {
            Path password = Files.createTempFile("rotor-audit-pg", ".password",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(password, pg.password());
            StringWriter out = new StringWriter();
            CommandLine cli = new CommandLine(new AuditCommand());
            cli.setOut(new PrintWriter(out, true));
            int code = cli.execute("verify", "--jdbc-url", pg.jdbcUrl(database), "--user", pg.user(),
                    "--password-file", password.toString());
            Files.delete(password);
            return new Outcome(code, out.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

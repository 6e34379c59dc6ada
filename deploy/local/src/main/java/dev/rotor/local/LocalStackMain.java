package dev.rotor.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import dev.rotor.local.audit.AuditCommand;
import dev.rotor.local.auth.AuthKeysCommand;
import dev.rotor.local.auth.TokenCommand;
import dev.rotor.local.bench.BenchCatalog;
import dev.rotor.local.bench.ReencryptSagaBench;
import dev.rotor.local.bench.SagaBench;
import dev.rotor.local.bench.StoreSaveBench;
import dev.rotor.local.cli.ReportCommand;
import dev.rotor.local.cli.RotateCommand;
import dev.rotor.local.demo.DemoTableCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the local stack's servers as plain foreground processes: {@code kafka} or {@code postgres}.
 *
 * <p>Why: the system tests and {@code deploy/rotor up} need the same broker and database the unit tests use, as
 * separate processes they can stop with SIGTERM. Each prints one {@code ... ready ...} line once usable, so a
 * script can wait for it, and exits non-zero with one line on failure.
 */
@Command(name = "rotor-local-stack", mixinStandardHelpOptions = true,
        subcommands = {LocalStackMain.Kafka.class, LocalStackMain.Postgres.class, RotateCommand.class,
                BenchCatalog.class, SagaBench.class, ReencryptSagaBench.class, StoreSaveBench.class, DemoTableCommand.class,
                AuthKeysCommand.class, TokenCommand.class, KeysCommand.class, ReportCommand.class, AuditCommand.class},
        description = "Runs an embedded Kafka broker or PostgreSQL server in the foreground until SIGTERM, "
                + "or follows a rotation (rotate).")
public final class LocalStackMain implements Runnable {

    public static void main(String[] args) {
        // lib/ also holds slf4j-jboss-logmanager and jboss-logmanager (via quarkus-test-common): pick slf4j-simple
        // for slf4j, and let jboss-logmanager own JUL, or its System.Logger finder complains when JMX logs.
        System.setProperty("slf4j.provider", System.getProperty("slf4j.provider",
                "org.slf4j.simple.SimpleServiceProvider"));
        System.setProperty("slf4j.internal.verbosity", System.getProperty("slf4j.internal.verbosity", "WARN"));
        System.setProperty("java.util.logging.manager", System.getProperty("java.util.logging.manager",
                "org.jboss.logmanager.LogManager"));
        QuietLogs.apply();
        CommandLine cli = new CommandLine(new LocalStackMain());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            System.err.println("rotor-local-stack " + cmd.getCommandName() + ": " + rootMessage(e));
            return 1;
        });
        int code = cli.execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "give a subcommand: kafka, postgres or rotate");
    }

    private static String rootMessage(Throwable e) {
        String msg = e.getMessage();
        return msg != null ? msg.lines().findFirst().orElse(msg) : e.getClass().getName();
    }

    /** Blocks the main thread until the JVM shuts down; the hook closes the server first. */
    static void runUntilStopped(AutoCloseable server, String name) {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
                System.out.println(name + " stopped");
            } catch (Exception e) {
                System.err.println(name + " did not stop cleanly: " + e.getMessage());
            } finally {
                stopped.countDown();
            }
        }, "rotor-" + name + "-stop"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Command(name = "kafka", mixinStandardHelpOptions = true, description = "A one-node KRaft broker.")
    static final class Kafka implements Runnable {
        @Option(names = "--port", defaultValue = "9092", description = "SASL/SCRAM port on 127.0.0.1 (0 = free).")
        int port;
        @Option(names = "--data", required = true, description = "Data dir; formatted on first use, then reused.")
        Path data;
        @Option(names = "--credentials", required = true, description = "Dir of one password file per principal "
                + "(admin and each service); generated on first use with mode 0600, then reused.")
        Path credentials;

        @Override
        public void run() {
            EmbeddedKafka kafka = EmbeddedKafka.start(port, data, KafkaCredentials.loadOrCreate(credentials));
            System.out.println("kafka ready bootstrap=" + kafka.bootstrapServers());
            System.out.flush();
            runUntilStopped(kafka, "kafka");
        }
    }

    @Command(name = "postgres", mixinStandardHelpOptions = true, description = "A PostgreSQL 15 server.")
    static final class Postgres implements Runnable {
        @Option(names = "--port", defaultValue = "5432", description = "Port on 127.0.0.1 (0 = free).")
        int port;
        @Option(names = "--data", required = true, description = "Data dir; initialised on first use, then reused.")
        Path data;
        @Option(names = "--database", description = "A database to create if missing; repeatable.")
        List<String> databases = new ArrayList<>();

        @Override
        public void run() {
            EmbeddedPostgres pg = EmbeddedPostgres.start(port, data);
            try {
                databases.forEach(pg::createDatabase);
            } catch (RuntimeException e) {
                pg.close();
                throw e;
            }
            System.out.println("postgres ready url=" + pg.jdbcUrl("postgres"));
            System.out.flush();
            runUntilStopped(pg, "postgres");
        }
    }
}

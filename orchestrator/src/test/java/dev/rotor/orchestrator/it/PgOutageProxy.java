package dev.rotor.orchestrator.it;

import dev.rotor.local.PgServer;
import dev.rotor.local.PostgresResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay between the orchestrator's reactive datasource and the embedded PostgreSQL, which a test can cut (open
 * connections closed, new ones refused) and restore on the same port: the database "briefly unavailable" as the pool
 * really sees it. Flyway and the outbox relay keep the direct JDBC connection. Started after PostgresResource, so its
 * reactive url wins.
 */
public class PgOutageProxy implements QuarkusTestResourceLifecycleManager {
    private static final Set<Socket> OPEN = ConcurrentHashMap.newKeySet();
    private static volatile ServerSocket listener;
    private static volatile int port;
    private static volatile PgServer target;

    @Override
    public Map<String, String> start() {
        target = PostgresResource.server();
        PostgresResource.jdbcUrl("orchestrator_outage");
        listen(0);
        return Map.of("quarkus.datasource.jdbc.url", target.jdbcUrl("orchestrator_outage"),
                "quarkus.datasource.reactive.url", "postgresql://127.0.0.1:" + port + "/orchestrator_outage");
    }

    @Override
    public int order() {
        return Integer.MAX_VALUE;
    }

    /** Closes every relayed connection and refuses new ones. */
    static synchronized void cut() throws IOException {
        listener.close();
        for (Socket s : OPEN) {
            s.close();
        }
        OPEN.clear();
    }

    /** Accepts connections again, on the same port. */
    static synchronized void restore() {
        listen(port);
    }

    private static void listen(int on) {
        try {
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), on));
            listener = server;
            port = server.getLocalPort();
            daemon("pg-outage-proxy", () -> accept(server));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void accept(ServerSocket server) {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket db = new Socket(target.host(), target.port());
                OPEN.add(client);
                OPEN.add(db);
                pipe(client, db);
                pipe(db, client);
            } catch (IOException e) {
                // closed by cut()
            }
        }
    }

    private static void pipe(Socket from, Socket to) {
        daemon("pg-outage-pipe", () -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // one side closed
            } finally {
                close(from);
                close(to);
            }
        });
    }

    private static void daemon(String name, Runnable work) {
        Thread t = new Thread(work, name);
        t.setDaemon(true);
        t.start();
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
        OPEN.remove(s);
    }

    @Override
    public void stop() {
        try {
            cut();
        } catch (IOException e) {
            // stopping anyway
        }
    }
}

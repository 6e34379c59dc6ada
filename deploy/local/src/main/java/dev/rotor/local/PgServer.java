package dev.rotor.local;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a PostgreSQL server is and how to log in, whichever way it was obtained (embedded, container, or the
 * {@code ROTOR_TEST_PG_URL} override), so the test resource builds its URLs in one way.
 *
 * @param params extra JDBC query parameters (e.g. {@code sslmode=disable}) without user/password, or ""
 */
public record PgServer(String host, int port, String user, String password, String adminDatabase, String params) {

    /**
     * Parses {@code jdbc:postgresql://host[:port]/db[?user=..&password=..&more]}; credentials found in the URL win
     * over {@code defaultUser}/{@code defaultPassword}.
     */
    public static PgServer parse(String jdbcUrl, String defaultUser, String defaultPassword) {
        if (!jdbcUrl.startsWith("jdbc:postgresql://")) {
            // Not the URL itself: it may carry a password.
            throw new IllegalArgumentException("expected a jdbc:postgresql://host:port/db URL");
        }
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        String user = defaultUser;
        String password = defaultPassword;
        List<String> rest = new ArrayList<>();
        String query = uri.getRawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                switch (key) {
                    case "user" -> user = value;
                    case "password" -> password = value;
                    default -> rest.add(pair);
                }
            }
        }
        String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        return new PgServer(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), user, password,
                path.isEmpty() ? "postgres" : path, String.join("&", rest));
    }

    /** {@code jdbc:postgresql://host:port/database[?params]}; credentials are passed separately. */
    public String jdbcUrl(String database) {
        return "jdbc:" + reactiveUrl(database);
    }

    /** {@code postgresql://host:port/database[?params]}, for {@code quarkus.datasource.reactive.url}. */
    public String reactiveUrl(String database) {
        return "postgresql://" + host + ":" + port + "/" + database + (params.isEmpty() ? "" : "?" + params);
    }

    /** Creates {@code database} on this server unless it exists. */
    public boolean createDatabase(String database) {
        return PgDatabases.create(jdbcUrl(adminDatabase), user, password, database);
    }

    /** The whole thing as one JDBC URL with credentials, parseable again by {@link #parse}. */
    String toUrlWithCredentials() {
        String sep = params.isEmpty() ? "?" : "?" + params + "&";
        return jdbcUrl(adminDatabase).replaceFirst("\\?.*$", "") + sep + "user=" + enc(user) + "&password="
                + enc(password);
    }

    /** Without the password. */
    @Override
    public String toString() {
        return "PgServer[" + user + "@" + host + ":" + port + "/" + adminDatabase + "]";
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}

package dev.rotor.contracts.redact;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * A URL as it may be shown: in a log line, an exception, a manual step, a stored step detail or a notification. The
 * user info ({@code user:password@}) and every query value are replaced with {@value #MASK}, and a fragment is dropped;
 * scheme, host, port, path and the query's parameter names stay, so a person can still tell which endpoint is meant.
 * Works for {@code jdbc:} URLs too ({@code password=} is a query value). A URL that does not parse is never echoed.
 */
public final class SafeUrl {
    public static final String MASK = "***";
    static final String UNPARSEABLE = "(unparseable url)";

    private SafeUrl() {
    }

    public static String redact(String url) {
        if (url == null) {
            return null;
        }
        String trimmed = url.trim();
        if (trimmed.regionMatches(true, 0, "jdbc:", 0, 5)) {
            String rest = redact(trimmed.substring(5));
            return rest.equals(UNPARSEABLE) ? rest : trimmed.substring(0, 5) + rest;
        }
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            return UNPARSEABLE;
        }
        if (uri.getScheme() == null || uri.isOpaque() || uri.getRawAuthority() == null) {
            return UNPARSEABLE;
        }
        StringBuilder out = new StringBuilder(uri.getScheme()).append("://");
        if (uri.getRawAuthority().contains("@")) {
            out.append(MASK).append('@');
        }
        out.append(uri.getHost() != null ? uri.getHost() : hostOnly(uri.getRawAuthority()));
        if (uri.getPort() >= 0) {
            out.append(':').append(uri.getPort());
        }
        if (uri.getRawPath() != null) {
            out.append(uri.getRawPath());
        }
        if (uri.getRawQuery() != null) {
            out.append('?').append(query(uri.getRawQuery()));
        }
        return out.toString();
    }

    private static String query(String raw) {
        StringBuilder out = new StringBuilder();
        for (String pair : raw.split("&", -1)) {
            if (!out.isEmpty()) {
                out.append('&');
            }
            int eq = pair.indexOf('=');
            out.append(eq < 0 ? MASK : pair.substring(0, eq + 1) + MASK);
        }
        return out.toString();
    }

    // A registry-based authority (e.g. a host name with an underscore): everything after the last '@'.
    private static String hostOnly(String authority) {
        return authority.substring(authority.lastIndexOf('@') + 1);
    }
}

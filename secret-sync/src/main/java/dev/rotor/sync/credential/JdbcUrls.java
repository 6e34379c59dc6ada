package dev.rotor.sync.credential;

import java.util.regex.Pattern;

/**
 * JDBC URLs can carry credentials ({@code ?password=…}, {@code sslpassword=…}, {@code //user:pw@host}); every URL that
 * goes into a message, a log line or a {@code toString} passes through {@link #redact} first.
 */
public final class JdbcUrls {
    private static final Pattern SECRET_PARAMETER =
            Pattern.compile("(?i)([?&;][^=&;]*(?:password|secret|token|key)[^=&;]*=)[^&;]*");
    private static final Pattern USER_INFO = Pattern.compile("(//[^/?@:]*:)[^/?@]*@");
    private static final Pattern CREDENTIAL_PARAMETER = Pattern.compile("(?i)[?&;](?:user|password)=");

    private JdbcUrls() {
    }

    /** The URL with the value of every credential-like parameter (and a user-info password) replaced by ***. */
    public static String redact(String url) {
        if (url == null) {
            return null;
        }
        return USER_INFO.matcher(SECRET_PARAMETER.matcher(url).replaceAll("$1***")).replaceAll("$1***@");
    }

    /** Whether the URL names a user or a password itself (the driver lets those override the ones given apart). */
    static boolean carriesCredentials(String url) {
        return url != null && (CREDENTIAL_PARAMETER.matcher(url).find() || USER_INFO.matcher(url).find());
    }
}

package dev.rotor.sync.credential;

import java.util.regex.Pattern;

/**
 * Role names from the catalog go into DDL, which cannot bind parameters: they must be plain identifiers, and are
 * double-quoted, so they are used exactly as written (case-sensitive).
 */
public final class RoleNames {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,62}");

    private RoleNames() {
    }

    /** The quoted identifier, or a {@link CredentialException} naming the field. */
    public static String quoted(String role, String field) {
        if (role == null || !IDENTIFIER.matcher(role).matches()) {
            throw new CredentialException(field + " must be a plain PostgreSQL identifier ([A-Za-z_][A-Za-z0-9_$]*, "
                    + "at most 63 characters), got " + (role == null ? "nothing" : "'" + role + "'"), false);
        }
        return "\"" + role + "\"";
    }
}

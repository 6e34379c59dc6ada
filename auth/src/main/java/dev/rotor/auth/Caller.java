package dev.rotor.auth;

import io.quarkus.security.identity.SecurityIdentity;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Who is calling, as Rotor records it: the token's subject ({@code sub}). */
public final class Caller {
    private Caller() {
    }

    /** The subject of the caller's token, or the principal's name for another kind of identity. */
    public static String subject(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            throw new IllegalStateException("no authenticated caller");
        }
        if (identity.getPrincipal() instanceof JsonWebToken jwt && jwt.getSubject() != null) {
            return jwt.getSubject();
        }
        return identity.getPrincipal().getName();
    }
}

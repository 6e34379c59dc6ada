package dev.rotor.auth;

/**
 * Thrown by a resource when the request itself needs a higher role than the endpoint's own rule (an EMERGENCY
 * rotation needs {@link Roles#RESPONDER} on an operator endpoint). Answered 403, naming the role.
 */
public class RoleRequiredException extends RuntimeException {
    private final String role;

    public RoleRequiredException(String role, String what) {
        super(what + " needs the role '" + role + "'");
        this.role = role;
    }

    public String role() {
        return role;
    }

    /** Throws unless the caller holds {@code role}. */
    public static void require(io.quarkus.security.identity.SecurityIdentity caller, String role, String what) {
        if (!caller.hasRole(role)) {
            throw new RoleRequiredException(role, what);
        }
    }
}

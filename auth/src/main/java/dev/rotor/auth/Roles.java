package dev.rotor.auth;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Rotor's roles, as {@code @RolesAllowed} names them. People hold {@link #VIEWER}, {@link #OPERATOR},
 * {@link #RESPONDER} or {@link #APPROVER}; a role includes the ones below it (a responder is also an operator and a
 * viewer; an approver also views). {@link #SERVICE} is for calls between services and implies no human role, and no
 * human role implies it.
 */
public final class Roles {
    /** Reads rotations, secrets, versions and the audit. */
    public static final String VIEWER = "viewer";
    /** Also starts MANUAL rotations and dry runs. */
    public static final String OPERATOR = "operator";
    /** Also starts EMERGENCY rotations, aborts, forces retirements. */
    public static final String RESPONDER = "responder";
    /** Approves or denies rotations that need approval. */
    public static final String APPROVER = "approver";
    /** Calls between services (secret-sync's store API is not for people). */
    public static final String SERVICE = "service";

    /** Every role, lowest first. */
    public static final List<String> ALL = List.of(VIEWER, OPERATOR, RESPONDER, APPROVER, SERVICE);

    private Roles() {
    }

    /** The role and every role it includes; an unknown name maps to itself only. */
    public static Set<String> withImplied(String role) {
        Set<String> out = new LinkedHashSet<>();
        out.add(role);
        switch (role) {
            case RESPONDER -> out.addAll(List.of(OPERATOR, VIEWER));
            case OPERATOR, APPROVER -> out.add(VIEWER);
            default -> {
            }
        }
        return out;
    }

    /** True when holding {@code held} grants {@code needed}. */
    public static boolean grants(String held, String needed) {
        return withImplied(held).contains(needed);
    }
}

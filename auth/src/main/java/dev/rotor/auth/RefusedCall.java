package dev.rotor.auth;

import java.time.Instant;
import java.util.List;

/**
 * A mutating call refused with 403, for a service's audit log ({@link RefusedCallRecorder}). Names the caller, never
 * the token.
 *
 * @param subject       the token's subject
 * @param roles         the Rotor roles the caller held, sorted
 * @param method        the HTTP method (POST, PUT, PATCH, DELETE)
 * @param path          the request path
 * @param requiredRole  the role the call needed
 * @param clientAddress the HTTP peer's address, or null
 */
public record RefusedCall(Instant at, String subject, List<String> roles, String method, String path,
        String requiredRole, String clientAddress) {
}

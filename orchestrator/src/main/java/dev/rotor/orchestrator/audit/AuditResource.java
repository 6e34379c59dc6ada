package dev.rotor.orchestrator.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotor.auth.Roles;
import dev.rotor.contracts.audit.AuditChain;
import dev.rotor.orchestrator.rest.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * The audit log, in chain order (oldest first), with each entry's hashes so a reader can check the chain itself
 * ({@code dev.rotor.contracts.audit.AuditChain}). Filters: {@code secret}, {@code rotation}, {@code since} (an
 * ISO-8601 instant), {@code after} (a seq, for paging: the last seq of the previous page), {@code limit} (1 to
 * {@value #MAX_LIMIT}, default {@value #DEFAULT_LIMIT}). Bad parameters are 400 problem+json naming the parameter.
 */
@Path("/api/audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {
    static final int MAX_LIMIT = 1000;
    static final int DEFAULT_LIMIT = 100;

    @Inject
    ObjectMapper json;

    /**
     * One entry. {@code at} is written exactly as the canonical JSON writes it, so hashing the fields as shown gives
     * {@code hash}; {@code detail} is the detail object.
     */
    public record AuditView(long seq, String at, String kind, String subject, List<String> roles, String source,
            String reason, String clientAddress, String secretId, UUID rotationId, JsonNode detail, String prevHash,
            String hash) {
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    public Uni<List<AuditView>> list(@QueryParam("secret") String secret, @QueryParam("rotation") String rotation,
            @QueryParam("since") String since, @QueryParam("after") String after, @QueryParam("limit") String limit) {
        List<String> where = new ArrayList<>();
        Parameters params = new Parameters();
        if (secret != null && !secret.isBlank()) {
            where.add("secretId = :secret");
            params.and("secret", secret.trim());
        }
        if (rotation != null && !rotation.isBlank()) {
            where.add("rotationId = :rotation");
            params.and("rotation", uuid(rotation));
        }
        if (since != null && !since.isBlank()) {
            where.add("occurredAt >= :since");
            params.and("since", instant(since));
        }
        if (after != null && !after.isBlank()) {
            where.add("seq > :after");
            params.and("after", number("after", after, 0, Long.MAX_VALUE));
        }
        int max = (int) (limit == null || limit.isBlank() ? DEFAULT_LIMIT : number("limit", limit, 1, MAX_LIMIT));
        String query = (where.isEmpty() ? "" : String.join(" and ", where) + " ") + "order by seq";
        return AuditChainer.chainNow().chain(() -> Panache.withSession(() -> AuditEntryEntity
                        .<AuditEntryEntity>find(query, params).page(0, max).list()))
                .map(rows -> rows.stream().map(this::view).toList());
    }

    private AuditView view(AuditEntryEntity e) {
        List<String> roles = e.roles == null || e.roles.isEmpty() ? List.of() : Arrays.asList(e.roles.split(","));
        return new AuditView(e.seq, AuditChain.formatAt(e.occurredAt), e.kind, e.subject, roles, e.source, e.reason,
                e.clientAddress, e.secretId, e.rotationId, detail(e.detail), e.prevHash, e.hash);
    }

    private JsonNode detail(String text) {
        if (text == null) {
            return null;
        }
        try {
            return json.readTree(text);
        } catch (JsonProcessingException unreadable) {
            // Only a hand-edited row can hold this; show it as text rather than hide it.
            return json.getNodeFactory().textNode(text);
        }
    }

    private static UUID uuid(String value) {
        try {
            return UUID.fromString(value.trim());
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("query parameter 'rotation' must be a UUID");
        }
    }

    private static Instant instant(String value) {
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest("query parameter 'since' must be an ISO-8601 instant, e.g."
                    + " 2026-12-01T00:00:00Z");
        }
    }

    private static long number(String name, String value, long min, long max) {
        try {
            long n = Long.parseLong(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to the problem below
        }
        throw ProblemException.badRequest("query parameter '" + name + "' must be a whole number from " + min
                + (max == Long.MAX_VALUE ? " up" : " to " + max));
    }
}

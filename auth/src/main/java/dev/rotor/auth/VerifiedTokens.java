package dev.rotor.auth;

import io.smallrye.jwt.auth.principal.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The bearer tokens verified lately, so that a client sending the same token on every request (the CLI, a script, the
 * dashboard) does not pay an RS256 verification each time. A token is served from here only as the very string that
 * was verified, and only until the earlier of its {@code exp} and {@code ttl} after its verification; after that it
 * is verified again, and refused if it has expired. {@code ttl} bounds how long a token stays accepted after its
 * signing key was withdrawn from the JWKS. A refused token is never kept. At most {@code capacity} tokens are kept:
 * when it is full, the stale ones are dropped, and if none is, the whole cache, which costs one verification per
 * client. Thread-safe. Holds tokens, so it never prints one.
 */
public final class VerifiedTokens {
    /** Verifies a token, as {@link io.smallrye.jwt.auth.principal.JWTParser#parse(String)} does. */
    @FunctionalInterface
    public interface Verifier {
        JsonWebToken verify(String token) throws ParseException;
    }

    private record Entry(JsonWebToken jwt, long validUntilMillis) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final long ttlMillis;
    private final int capacity;
    private final Clock clock;

    public VerifiedTokens(Duration ttl, int capacity, Clock clock) {
        if (ttl.isNegative() || capacity < 0) {
            throw new IllegalArgumentException("the token cache's ttl and capacity must not be negative");
        }
        this.ttlMillis = ttl.toMillis();
        this.capacity = capacity;
        this.clock = clock;
    }

    /** The token verified by {@code verifier}, or as verified before while that still holds. */
    public JsonWebToken verify(String token, Verifier verifier) throws ParseException {
        if (ttlMillis == 0 || capacity == 0 || token == null) {
            return verifier.verify(token);
        }
        long now = clock.millis();
        Entry cached = entries.get(token);
        if (cached != null) {
            if (now < cached.validUntilMillis()) {
                return cached.jwt();
            }
            entries.remove(token, cached);
        }
        JsonWebToken jwt = verifier.verify(token);
        long validUntil = now + ttlMillis;
        long exp = jwt.getExpirationTime();
        if (exp > 0) {
            validUntil = Math.min(validUntil, exp * 1000);
        }
        if (validUntil > now) {
            if (entries.size() >= capacity) {
                entries.values().removeIf(e -> e.validUntilMillis() <= now);
                if (entries.size() >= capacity) {
                    entries.clear();
                }
            }
            entries.put(token, new Entry(jwt, validUntil));
        }
        return jwt;
    }

    /** How many tokens are kept now (for tests). */
    int size() {
        return entries.size();
    }
}

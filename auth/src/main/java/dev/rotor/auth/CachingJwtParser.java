package dev.rotor.auth;

import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * SmallRye JWT's parser, with the tokens it verified kept for a while ({@link VerifiedTokens}): bearer
 * authentication and the dashboard's login both go through it. {@code rotor.auth.token-cache.ttl} (default 60s;
 * 0 turns the cache off) and {@code rotor.auth.token-cache.size} (default 1000 tokens) set it. Every other method
 * of the parser is SmallRye's own.
 */
@Decorator
@Priority(10)
public abstract class CachingJwtParser implements JWTParser {
    private final JWTParser delegate;
    private final VerifiedTokens tokens;

    @Inject
    CachingJwtParser(@Delegate @Any JWTParser delegate,
            @ConfigProperty(name = "rotor.auth.token-cache.ttl", defaultValue = "60s") Duration ttl,
            @ConfigProperty(name = "rotor.auth.token-cache.size", defaultValue = "1000") int size) {
        this.delegate = delegate;
        this.tokens = new VerifiedTokens(ttl, size, Clock.systemUTC());
    }

    @Override
    public JsonWebToken parse(String token) throws ParseException {
        return tokens.verify(token, delegate::parse);
    }
}

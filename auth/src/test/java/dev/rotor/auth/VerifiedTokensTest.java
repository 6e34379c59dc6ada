package dev.rotor.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.jwt.auth.principal.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

class VerifiedTokensTest {
    private static final Instant T0 = Instant.parse("2026-12-04T00:00:00Z");

    /** A clock the test moves. */
    private static final class Now extends Clock {
        final AtomicLong millis = new AtomicLong(T0.toEpochMilli());

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }

        void advance(Duration d) {
            millis.addAndGet(d.toMillis());
        }
    }

    /** Verifies tokens named "ok-<exp seconds>" and refuses the rest, counting the verifications. */
    private static final class Issuer implements VerifiedTokens.Verifier {
        final List<String> verified = new ArrayList<>();
        final Clock clock;

        Issuer(Clock clock) {
            this.clock = clock;
        }

        @Override
        public JsonWebToken verify(String token) throws ParseException {
            verified.add(token);
            if (!token.startsWith("ok-")) {
                throw new ParseException("bad signature");
            }
            long exp = Long.parseLong(token.substring(3));
            if (clock.millis() >= exp * 1000) {
                throw new ParseException("expired");
            }
            return jwt(exp);
        }
    }

    private final Now clock = new Now();
    private final Issuer issuer = new Issuer(clock);

    @Test
    void aTokenIsVerifiedOnceWhileItHoldsAndTheSameObjectIsServed() throws Exception {
        VerifiedTokens tokens = new VerifiedTokens(Duration.ofSeconds(60), 10, clock);
        String token = "ok-" + (T0.getEpochSecond() + 3600);

        JsonWebToken first = tokens.verify(token, issuer);
        clock.advance(Duration.ofSeconds(59));
        assertThat(tokens.verify(token, issuer)).isSameAs(first);
        assertThat(issuer.verified).containsExactly(token);

        // After the ttl it is verified again, even though it has not expired.
        clock.advance(Duration.ofSeconds(1));
        assertThat(tokens.verify(token, issuer)).isNotSameAs(first);
        assertThat(issuer.verified).containsExactly(token, token);
    }

    @Test
    void aTokenIsNeverServedPastItsExpiry() throws Exception {
        VerifiedTokens tokens = new VerifiedTokens(Duration.ofSeconds(60), 10, clock);
        String token = "ok-" + (T0.getEpochSecond() + 10);
        tokens.verify(token, issuer);
        clock.advance(Duration.ofSeconds(10));

        assertThatThrownBy(() -> tokens.verify(token, issuer)).isInstanceOf(ParseException.class)
                .hasMessage("expired");
        assertThat(issuer.verified).containsExactly(token, token);
        assertThat(tokens.size()).isZero();
    }

    @Test
    void aRefusedTokenIsNotKeptAndIsVerifiedEachTime() {
        VerifiedTokens tokens = new VerifiedTokens(Duration.ofSeconds(60), 10, clock);
        assertThatThrownBy(() -> tokens.verify("forged", issuer)).hasMessage("bad signature");
        assertThatThrownBy(() -> tokens.verify("forged", issuer)).hasMessage("bad signature");
        assertThat(issuer.verified).containsExactly("forged", "forged");
        assertThat(tokens.size()).isZero();
    }

    @Test
    void aFullCacheDropsItsStaleTokensFirstAndNeverGrowsPastItsCapacity() throws Exception {
        VerifiedTokens tokens = new VerifiedTokens(Duration.ofSeconds(60), 2, clock);
        String shortLived = "ok-" + (T0.getEpochSecond() + 5);
        String a = "ok-" + (T0.getEpochSecond() + 3600);
        String b = "ok-" + (T0.getEpochSecond() + 3601);
        String c = "ok-" + (T0.getEpochSecond() + 3602);
        tokens.verify(shortLived, issuer);
        tokens.verify(a, issuer);
        clock.advance(Duration.ofSeconds(5));

        tokens.verify(b, issuer); // shortLived is stale: dropped, a stays
        tokens.verify(a, issuer);
        assertThat(issuer.verified).containsExactly(shortLived, a, b);
        assertThat(tokens.size()).isEqualTo(2);

        tokens.verify(c, issuer); // none stale: the cache starts over
        assertThat(tokens.size()).isEqualTo(1);
        tokens.verify(a, issuer);
        assertThat(issuer.verified).containsExactly(shortLived, a, b, c, a);
    }

    @Test
    void aZeroTtlTurnsTheCacheOff() throws Exception {
        VerifiedTokens tokens = new VerifiedTokens(Duration.ZERO, 10, clock);
        String token = "ok-" + (T0.getEpochSecond() + 3600);
        tokens.verify(token, issuer);
        tokens.verify(token, issuer);
        assertThat(issuer.verified).containsExactly(token, token);
        assertThat(tokens.size()).isZero();
    }

    private static JsonWebToken jwt(long exp) {
        return new JsonWebToken() {
            @Override
            public String getName() {
                return "someone";
            }

            @Override
            public Set<String> getClaimNames() {
                return Set.of("exp");
            }

            @Override
            @SuppressWarnings("unchecked")
            public <T> T getClaim(String claimName) {
                return "exp".equals(claimName) ? (T) Long.valueOf(exp) : null;
            }
        };
    }
}

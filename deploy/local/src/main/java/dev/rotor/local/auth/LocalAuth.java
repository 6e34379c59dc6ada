package dev.rotor.local.auth;

import dev.rotor.local.LocalDirs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/**
 * The local stack's token issuer: one RSA signing key under {@code $ROTOR_HOME/auth/}, its public JWKS (which the
 * services trust by default), and short-lived tokens minted with it for {@code deploy/rotor token}, {@code rotate}
 * and the tests. Both files are created with mode 0600 at creation, never chmod'ed afterwards.
 *
 * <p>Tokens carry {@code iss} {@value #ISSUER}, {@code aud} {@value #AUDIENCE}, {@code sub}, {@code groups} (the
 * roles), {@code iat}, {@code exp} and a {@code jti}; the services' defaults expect exactly these.
 */
public final class LocalAuth {
    public static final String ISSUER = "rotor-local";
    public static final String AUDIENCE = "rotor";
    static final String KEY_FILE = "signing-key.jwk";
    static final String JWKS_FILE = "jwks.json";

    private final RsaJsonWebKey key;
    private final Path jwks;

    private LocalAuth(RsaJsonWebKey key, Path jwks) {
        this.key = key;
        this.jwks = jwks;
    }

    /** The issuer whose files are in {@code dir} (usually {@code $ROTOR_HOME/auth}), creating them on first use. */
    public static synchronized LocalAuth open(Path dir) {
        try {
            LocalDirs.ownerOnlyDir(dir);
            Path keyFile = dir.resolve(KEY_FILE);
            Path jwks = dir.resolve(JWKS_FILE);
            if (!Files.exists(keyFile)) {
                RsaJsonWebKey fresh = RsaJwkGenerator.generateJwk(2048);
                fresh.setKeyId("rotor-local-" + UUID.randomUUID().toString().substring(0, 8));
                fresh.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
                fresh.setUse("sig");
                writePrivate(keyFile, fresh.toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE));
                Files.deleteIfExists(jwks);
            }
            RsaJsonWebKey key = (RsaJsonWebKey) JsonWebKey.Factory.newJwk(Files.readString(keyFile));
            if (!Files.exists(jwks)) {
                writePrivate(jwks, new JsonWebKeySet(List.of(key)).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
            }
            return new LocalAuth(key, jwks);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the local token keys in " + dir + ": " + e.getMessage(), e);
        } catch (JoseException e) {
            throw new IllegalStateException("the local signing key in " + dir + " is unreadable: " + e.getMessage(),
                    e);
        }
    }

    /** The public keys the services verify tokens with. */
    public Path jwks() {
        return jwks;
    }

    /** A token for {@code subject} holding {@code roles}, valid for {@code ttl}. */
    public String mint(String subject, List<String> roles, Duration ttl) {
        return sign(ISSUER, AUDIENCE, subject, roles, Instant.now().plus(ttl));
    }

    /**
     * A token with any issuer, audience and expiry, signed by this key: the tests use it for tokens that must be
     * refused (expired, another issuer, another audience).
     */
    public String sign(String issuer, String audience, String subject, List<String> roles, Instant expires) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setAudience(audience);
        claims.setSubject(subject);
        claims.setStringListClaim("groups", roles);
        Instant issued = Instant.now().isBefore(expires) ? Instant.now() : expires.minus(Duration.ofMinutes(1));
        claims.setIssuedAt(NumericDate.fromMilliseconds(issued.toEpochMilli()));
        claims.setExpirationTime(NumericDate.fromMilliseconds(expires.toEpochMilli()));
        claims.setGeneratedJwtId();
        return sign(claims);
    }

    private String sign(JwtClaims claims) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("cannot sign a local token: " + e.getMessage(), e);
        }
    }

    /** Creates {@code file} with mode 0600 from the start, then writes it; an existing file is never overwritten. */
    private static void writePrivate(Path file, String text) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            throw new IOException(file + " appeared while it was being created; run the command again", e);
        }
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    }
}

package dev.rotor.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.jose4j.jwt.consumer.ErrorCodeValidator;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import io.quarkus.security.AuthenticationFailedException;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolesTest {

    @Test
    void eachRoleIncludesTheOnesBelowItAndServiceStandsApart() {
        assertThat(Roles.withImplied(Roles.RESPONDER)).containsExactly("responder", "operator", "viewer");
        assertThat(Roles.withImplied(Roles.OPERATOR)).containsExactly("operator", "viewer");
        assertThat(Roles.withImplied(Roles.APPROVER)).containsExactly("approver", "viewer");
        assertThat(Roles.withImplied(Roles.SERVICE)).containsExactly("service");
        assertThat(Roles.grants(Roles.OPERATOR, Roles.RESPONDER)).isFalse();
        assertThat(Roles.grants(Roles.RESPONDER, Roles.SERVICE)).isFalse();
        assertThat(Roles.grants(Roles.SERVICE, Roles.VIEWER)).isFalse();
    }

    @Test
    void groupsBecomeRolesWithThePrefixStrippedAndOthersDropped() {
        assertThat(RoleAugmentor.rotorRoles(Set.of("rotor-operator", "operator", "admins"), "rotor-"))
                .containsExactlyInAnyOrder("operator", "viewer");
        assertThat(RoleAugmentor.rotorRoles(Set.of("responder", "root"), ""))
                .containsExactlyInAnyOrder("responder", "operator", "viewer");
        assertThat(RoleAugmentor.rotorRoles(Set.of("Admin", "superuser"), "")).isEmpty();
    }

    @Test
    void aRefusedTokenIsExplainedByItsErrorCodeNeverByItsContent() {
        InvalidJwtException expired = new InvalidJwtException("exp is 1700000000 eyJhbGciOi...",
                List.of(new ErrorCodeValidator.Error(ErrorCodes.EXPIRED, "expired")), null);
        assertThat(AuthProblemMappers.whyRefused(new AuthenticationFailedException(expired)))
                .isEqualTo("the token has expired");
        InvalidJwtException issuer = new InvalidJwtException("iss evil",
                List.of(new ErrorCodeValidator.Error(ErrorCodes.ISSUER_INVALID, "iss")), null);
        assertThat(AuthProblemMappers.whyRefused(new AuthenticationFailedException(issuer)))
                .contains("issuer").doesNotContain("evil");
        assertThat(AuthProblemMappers.whyRefused(new AuthenticationFailedException("eyJhbGciOi.secret")))
                .doesNotContain("eyJ").doesNotContain("secret");
    }

    @Test
    void onlyLocalFilesAreCheckedAtStartUp() {
        assertThat(KeyLocationCheck.localFile("file:/tmp/x/jwks.json")).hasToString("/tmp/x/jwks.json");
        assertThat(KeyLocationCheck.localFile("/etc/rotor/jwks.json")).hasToString("/etc/rotor/jwks.json");
        assertThat(KeyLocationCheck.localFile("https://kc.example/realms/ops/protocol/openid-connect/certs")).isNull();
    }
}

package dev.rotor.auth;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Turns the token's groups (the claim named by {@code smallrye.jwt.path.groups}) into Rotor's roles: strips the
 * configured prefix (an issuer's {@code rotor-operator} becomes {@code operator}) and adds the roles each one
 * includes ({@link Roles#withImplied}). Groups that are not Rotor roles are dropped.
 */
@ApplicationScoped
public class RoleAugmentor implements SecurityIdentityAugmentor {
    @ConfigProperty(name = "rotor.auth.role-prefix")
    Optional<String> prefix;

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous()) {
            return Uni.createFrom().item(identity);
        }
        Set<String> roles = rotorRoles(identity.getRoles(), prefix.orElse(""));
        QuarkusSecurityIdentity.Builder builder = QuarkusSecurityIdentity.builder()
                .setPrincipal(identity.getPrincipal())
                .addCredentials(identity.getCredentials())
                .addAttributes(identity.getAttributes())
                .addPermissionChecker(identity::checkPermission)
                .addRoles(roles);
        return Uni.createFrom().item(builder.build());
    }

    static Set<String> rotorRoles(Set<String> groups, String prefix) {
        Set<String> roles = new LinkedHashSet<>();
        for (String group : groups) {
            String name = prefix.isEmpty() ? group
                    : group.startsWith(prefix) ? group.substring(prefix.length()) : null;
            if (name != null && Roles.ALL.contains(name)) {
                roles.addAll(Roles.withImplied(name));
            }
        }
        return roles;
    }
}

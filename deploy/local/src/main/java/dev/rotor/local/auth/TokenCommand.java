package dev.rotor.local.auth;

import dev.rotor.contracts.catalog.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rotor token --role R --subject S [--ttl 1h]}: prints a bearer token from the local issuer. */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = "Print a bearer token signed by the local stack's key ($ROTOR_HOME/auth).")
public final class TokenCommand implements Callable<Integer> {
    static final Duration MAX_TTL = Duration.ofDays(1);
    static final List<String> ROLES = List.of("viewer", "operator", "responder", "approver", "service");

    @Option(names = "--home", required = true, description = "ROTOR_HOME; the keys are in its auth/ folder")
    Path home;

    @Option(names = "--role", required = true, split = ",",
            description = "viewer, operator, responder, approver or service; repeat or separate with commas")
    List<String> roles;

    @Option(names = "--subject", required = true, description = "who the token stands for (recorded as requester)")
    String subject;

    @Option(names = "--ttl", defaultValue = "1h", description = "how long it stays valid (at most 24h), e.g. 15m, 1h")
    String ttl;

    @Override
    public Integer call() {
        for (String role : roles) {
            if (!ROLES.contains(role)) {
                throw new IllegalArgumentException("unknown role '" + role + "'; roles are " + ROLES);
            }
        }
        if (subject.isBlank()) {
            throw new IllegalArgumentException("--subject must not be blank");
        }
        Duration validity = Durations.parse(ttl);
        if (validity.isNegative() || validity.isZero() || validity.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("--ttl must be more than 0 and at most 24h, not " + ttl);
        }
        System.out.println(LocalAuth.open(home.resolve("auth")).mint(subject, roles, validity));
        return 0;
    }
}

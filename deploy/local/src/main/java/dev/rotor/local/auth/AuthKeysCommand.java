package dev.rotor.local.auth;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rotor auth-keys --home DIR}: creates the local issuer's key and JWKS once; prints the JWKS path. */
@Command(name = "auth-keys", mixinStandardHelpOptions = true,
        description = "Create the local token signing key and its JWKS in $ROTOR_HOME/auth (mode 0600), once.")
public final class AuthKeysCommand implements Callable<Integer> {
    @Option(names = "--home", required = true, description = "ROTOR_HOME")
    Path home;

    @Override
    public Integer call() {
        System.out.println(LocalAuth.open(home.resolve("auth")).jwks());
        return 0;
    }
}

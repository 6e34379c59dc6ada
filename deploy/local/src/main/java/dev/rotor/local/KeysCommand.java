package dev.rotor.local;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code keys --home DIR}: creates the message-signing key pairs under {@code DIR/auth/} once (private keys mode
 * 0600) and prints the environment variables that point the services at them. Key material is never printed.
 */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "Creates the command and bridge signing keys under HOME/auth once; prints their settings.")
final class KeysCommand implements Runnable {
    @Option(names = "--home", required = true, description = "ROTOR_HOME.")
    Path home;

    @Override
    public void run() {
        SigningKeyFiles files = SigningKeyFiles.ensure(home.toAbsolutePath().resolve("auth"));
        files.environment().forEach((name, value) -> System.out.println(name + "=" + value));
    }
}

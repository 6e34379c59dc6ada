package dev.rotor.sync.store;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A second operating-system process for {@link LocalKeystoreStoreTest}: opens and locks the keystore under the home
 * given as its argument, says {@code locked} on stdout, then holds the lock until its stdin closes.
 */
public final class KeystoreLockHolder {
    private KeystoreLockHolder() {
    }

    public static void main(String[] args) throws Exception {
        try (LocalKeystoreStore store = new LocalKeystoreStore(Path.of(args[0]), Optional.of("pw"))) {
            store.lock();
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold the lock until the test closes our stdin (or kills us)
            }
        }
    }
}

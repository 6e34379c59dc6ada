package dev.rotor.reencrypt.keys;

import dev.rotor.reencrypt.config.ReencryptConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/**
 * Opens the local keystore once when the worker starts, on a thread of its own, reading no version. A wrong
 * {@code ROTOR_KEYSTORE_PASSWORD} or a damaged file is then logged at deploy time, not found by the first rotation (an
 * emergency, maybe) that needs a key. A worker without a local keystore (yet: secret-sync creates it on first use; or at
 * all, on Vault) logs nothing; the start never waits for it or fails because of it.
 */
@ApplicationScoped
public class LocalKeystoreCheck {
    private static final Logger LOG = Logger.getLogger(LocalKeystoreCheck.class);

    @Inject
    ReencryptConfig config;

    void onStart(@Observes StartupEvent event) {
        LocalKeystoreReader reader = new LocalKeystoreReader(Path.of(config.home()), config.keystorePassword());
        Thread t = new Thread(() -> {
            try {
                reader.check().ifPresent(c -> {
                    if (c.opened()) {
                        LOG.info(c.message());
                    } else {
                        LOG.warn(c.message() + "; a REENCRYPT that reads keys from the local store will fail the"
                                + " same way");
                    }
                });
            } catch (RuntimeException e) {
                LOG.warnf("checking the local keystore failed: %s", e.getClass().getSimpleName());
            }
        }, "rotor-keystore-check");
        t.setDaemon(true);
        t.start();
    }
}

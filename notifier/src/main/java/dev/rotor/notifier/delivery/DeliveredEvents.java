package dev.rotor.notifier.delivery;

import dev.rotor.notifier.config.NotifierConfig;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The redelivery guard, durable: which (CloudEvent id, channel) pairs were already handed to a channel, kept in the
 * {@link DeliveryLog} under {@code $ROTOR_HOME/notifier/}, so a record that Kafka delivers again (a rebalance, a
 * replayed partition, a restart before the offset was committed) is not sent twice, not even by a new process.
 *
 * <p>De-duplicates on the record's {@code ce_id} and the catalog's channel name. A pair is claimed (fsync'd) before its
 * first attempt, so each milestone is sent at most once per channel. A pair given up on after the retries is released,
 * so a later redelivery may try again. A pair an earlier process claimed but never finished (it stopped mid-delivery)
 * is in doubt: it is not sent again, except to channels whose repeats are harmless ({@code repeatSafe}: PagerDuty
 * folds repeats into one alert by {@code dedup_key}).
 */
@Startup
@ApplicationScoped
public class DeliveredEvents {
    private static final Logger LOG = Logger.getLogger(DeliveredEvents.class);

    private final DeliveryLog log;

    @Inject
    public DeliveredEvents(NotifierConfig config) {
        this(DeliveryLog.open(Path.of(config.home(), "notifier"), config.dedupe().retention(), Clock.systemUTC()));
    }

    public DeliveredEvents(DeliveryLog log) {
        this.log = log;
    }

    /** True the first time a pair is seen (and claims it, durably); false for a redelivery. */
    public synchronized boolean firstTime(String eventId, String channel, boolean repeatSafe) {
        Optional<DeliveryLog.Status> status = log.status(channel, eventId);
        if (status.isEmpty()) {
            log.claim(channel, eventId);
            return true;
        }
        if (status.get() != DeliveryLog.Status.IN_DOUBT) {
            return false;
        }
        if (repeatSafe) {
            LOG.infof("channel '%s': event %s was being delivered when the notifier stopped; sending it again (the "
                    + "channel folds repeats)", channel, eventId);
            log.claim(channel, eventId);
            return true;
        }
        LOG.warnf("channel '%s': event %s was being delivered when the notifier stopped; not sent again, since it "
                + "may have arrived", channel, eventId);
        log.delivered(channel, eventId);
        return false;
    }

    public void delivered(String eventId, String channel) {
        log.delivered(channel, eventId);
    }

    /** A pair given up on: a later redelivery of the record may try that channel again. */
    public void forget(String eventId, String channel) {
        log.release(channel, eventId);
    }

    /** What a channel remembers of each rotation (e.g. the Slack message to update), durable like the pairs. */
    public RotationMemory memory(String channel) {
        return new RotationMemory() {
            @Override
            public Optional<String> get(UUID rotation) {
                return log.state(channel, rotation.toString());
            }

            @Override
            public void put(UUID rotation, String value) {
                log.putState(channel, rotation.toString(), value);
            }
        };
    }

    @PreDestroy
    void close() {
        log.close();
    }

    /** One channel's value per rotation. */
    public interface RotationMemory {
        Optional<String> get(UUID rotation);

        void put(UUID rotation, String value);
    }
}

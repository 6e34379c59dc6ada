package dev.rotor.notifier.delivery;

import dev.rotor.contracts.messages.MalformedMessageException;
import dev.rotor.contracts.messages.MessageCodec;
import dev.rotor.contracts.messages.RotorMessage;
import dev.rotor.notifier.channel.Notification;
import dev.rotor.notifier.config.NotifierConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * The redelivery guard, shared by every notifier replica: which (CloudEvent id, channel) pairs were claimed or
 * delivered, in PostgreSQL (schema {@code notifier}, table {@code deliveries}), so a record Kafka delivers again (a
 * rebalance between replicas, a replayed partition, a restart before the offset was committed) is not sent twice.
 *
 * <p>De-duplicates on the record's {@code ce_id} and the catalog's channel name. Before its first attempt a pair is
 * claimed with {@code INSERT ... ON CONFLICT DO NOTHING}: of two replicas handed the same record, one wins and sends.
 * The claim carries the milestone itself and a lease in this replica's name, which {@link #renewLeases} extends while
 * the replica lives. A replica that stops between its claim and the end of the delivery leaves the claim to run out;
 * another replica then takes it over ({@link #takeExpired}) and sends it. So a milestone is never lost by a stop, and
 * is sent twice only when a replica stopped after the receiver had it but before it recorded that: at least once, and
 * the receiver can tell a repeat by the CloudEvent id (the webhook's {@code id}, PagerDuty's {@code dedup_key}). A pair
 * given up on after the retries is released, so a later redelivery may try again. A delivery is marked within
 * {@value #MARK_INTERVAL} of its end, many in one statement ({@link #deliveredSoon}), not one commit each.
 */
@ApplicationScoped
public class DeliveredEvents {
    private static final Logger LOG = Logger.getLogger(DeliveredEvents.class);

    static final String MARK_INTERVAL = "0.1s";
    static final int MARK_BATCH = 500;

    private record Pair(String channel, String eventId) {
    }

    private final Queue<Pair> toMark = new ConcurrentLinkedQueue<>();
    private final DataSource db;
    private final String owner;
    private final Duration lease;
    private final Duration retention;

    @Inject
    public DeliveredEvents(DataSource db, NotifierConfig config) {
        this(db, instanceName(), config.delivery().lease(), config.dedupe().retention());
    }

    /** {@code owner} names this replica in its claims; {@code lease} is how long a claim holds without renewal. */
    public DeliveredEvents(DataSource db, String owner, Duration lease, Duration retention) {
        this.db = db;
        this.owner = owner;
        this.lease = lease;
        this.retention = retention;
    }

    /** A claim taken over from a replica that stopped: the milestone to send again, and the channel's name. */
    public record Claim(String channel, Notification notification) {
    }

    /** True when this replica claimed the pair now (and must deliver it); false when it was claimed before. */
    public boolean claim(Notification n, String channel) {
        return update("""
                INSERT INTO notifier.deliveries (channel, event_id, state, owner, lease_until, event_type, payload,
                                                 source, event_time)
                VALUES (?, ?, 'CLAIMED', ?, now() + make_interval(secs => ?), ?, ?, ?, ?)
                ON CONFLICT (channel, event_id) DO NOTHING""", ps -> {
            ps.setString(1, channel);
            ps.setString(2, n.id());
            ps.setString(3, owner);
            ps.setDouble(4, lease.toMillis() / 1000.0);
            ps.setString(5, n.message().type());
            ps.setBytes(6, MessageCodec.encode(n.message()));
            ps.setString(7, n.source());
            ps.setString(8, n.time());
        }) == 1;
    }

    /** Marks one delivery at once, through the same statement as {@link #flushDelivered}. */
    public void delivered(String eventId, String channel) {
        deliveredSoon(eventId, channel);
        flushDelivered();
    }

    /**
     * Records a delivery shortly after, batched with the others of the moment into one statement: {@link
     * #flushDelivered} runs every {@value #MARK_INTERVAL} and at shutdown. Until then the pair stays claimed by this
     * replica (nobody else sends it while the lease runs), so the only cost of a stop in between is the one
     * {@link DeliveredEvents} already accepts: another replica sends it again once the lease runs out.
     */
    public void deliveredSoon(String eventId, String channel) {
        toMark.add(new Pair(channel, eventId));
    }

    /**
     * Marks the deliveries recorded by {@link #deliveredSoon}, up to {@value #MARK_BATCH} per statement; returns how
     * many rows changed. Pairs a failed statement held are kept for the next flush.
     */
    public synchronized int flushDelivered() {
        int marked = 0;
        List<Pair> batch = new ArrayList<>();
        while (true) {
            batch.clear();
            for (Pair p; batch.size() < MARK_BATCH && (p = toMark.poll()) != null; ) {
                batch.add(p);
            }
            if (batch.isEmpty()) {
                return marked;
            }
            try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("""
                    UPDATE notifier.deliveries d SET state = 'DELIVERED', delivered_at = now()
                    FROM unnest(?::text[], ?::text[]) AS m(channel, event_id)
                    WHERE d.channel = m.channel AND d.event_id = m.event_id""")) {
                ps.setArray(1, c.createArrayOf("text", batch.stream().map(Pair::channel).toArray()));
                ps.setArray(2, c.createArrayOf("text", batch.stream().map(Pair::eventId).toArray()));
                marked += ps.executeUpdate();
            } catch (SQLException e) {
                toMark.addAll(batch);
                LOG.warnf("could not mark %d deliveries done (kept for the next try): %s", batch.size(),
                        e.getSQLState());
                return marked;
            }
        }
    }

    @Scheduled(every = MARK_INTERVAL, concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void markDelivered() {
        flushDelivered();
    }

    void flushAtShutdown(@Observes ShutdownEvent stop) {
        flushDelivered();
    }

    /** A pair given up on: a later redelivery of the record may try that channel again. */
    public void forget(String eventId, String channel) {
        update("DELETE FROM notifier.deliveries WHERE channel = ? AND event_id = ? AND state = 'CLAIMED'", ps -> {
            ps.setString(1, channel);
            ps.setString(2, eventId);
        });
    }

    /** Extends this replica's unfinished claims by a lease; returns how many it holds. */
    public int renewLeases() {
        return update("""
                UPDATE notifier.deliveries SET lease_until = now() + make_interval(secs => ?)
                WHERE owner = ? AND state = 'CLAIMED'""", ps -> {
            ps.setDouble(1, lease.toMillis() / 1000.0);
            ps.setString(2, owner);
        });
    }

    /**
     * Takes over up to {@code limit} claims whose lease ran out (their replica stopped), in this replica's name with a
     * fresh lease: rows locked by another replica doing the same are skipped, so each is taken over once. A claim whose
     * stored milestone cannot be read any more is released.
     */
    public List<Claim> takeExpired(int limit) {
        List<Claim> taken = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("""
                UPDATE notifier.deliveries d SET owner = ?, lease_until = now() + make_interval(secs => ?),
                                                 takeovers = d.takeovers + 1
                FROM (SELECT channel, event_id FROM notifier.deliveries
                      WHERE state = 'CLAIMED' AND lease_until < now()
                      ORDER BY lease_until LIMIT ? FOR UPDATE SKIP LOCKED) expired
                WHERE d.channel = expired.channel AND d.event_id = expired.event_id
                RETURNING d.channel, d.event_id, d.event_type, d.payload, d.source, d.event_time""")) {
            ps.setString(1, owner);
            ps.setDouble(2, lease.toMillis() / 1000.0);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String channel = rs.getString(1);
                    String eventId = rs.getString(2);
                    try {
                        RotorMessage event = MessageCodec.decode(rs.getString(3), rs.getBytes(4));
                        taken.add(new Claim(channel, new Notification(event, eventId, rs.getString(5),
                                rs.getString(6))));
                    } catch (MalformedMessageException e) {
                        LOG.warnf("channel '%s': the claim of event %s holds no readable milestone; released", channel,
                                eventId);
                        forget(eventId, channel);
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot take over expired delivery claims: " + e.getSQLState(), e);
        }
        return taken;
    }

    /** Drops delivered pairs and channel memories older than the retention; returns how many rows went. */
    public int prune() {
        double seconds = retention.toMillis() / 1000.0;
        return update("""
                DELETE FROM notifier.deliveries
                WHERE state = 'DELIVERED' AND delivered_at < now() - make_interval(secs => ?)""",
                ps -> ps.setDouble(1, seconds))
                + update("DELETE FROM notifier.rotation_memory WHERE updated_at < now() - make_interval(secs => ?)",
                        ps -> ps.setDouble(1, seconds));
    }

    /** What a channel remembers of each rotation (e.g. the Slack message to update), shared like the claims. */
    public RotationMemory memory(String channel) {
        return new RotationMemory() {
            @Override
            public Optional<String> get(UUID rotation) {
                try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                        "SELECT value FROM notifier.rotation_memory WHERE channel = ? AND rotation = ?")) {
                    ps.setString(1, channel);
                    ps.setObject(2, rotation);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException("cannot read channel '" + channel + "''s memory: "
                            + e.getSQLState(), e);
                }
            }

            @Override
            public void put(UUID rotation, String value) {
                update("""
                        INSERT INTO notifier.rotation_memory (channel, rotation, value) VALUES (?, ?, ?)
                        ON CONFLICT (channel, rotation) DO UPDATE SET value = excluded.value, updated_at = now()""",
                        ps -> {
                            ps.setString(1, channel);
                            ps.setObject(2, rotation);
                            ps.setString(3, value);
                        });
            }
        };
    }

    /** This replica's name in its claims: the host (the pod's name in Kubernetes) and a random suffix per start. */
    public String owner() {
        return owner;
    }

    private int update(String sql, Binder binder) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            return ps.executeUpdate();
        } catch (SQLException e) {
            // The state only: a statement's text or values never reach the message.
            throw new IllegalStateException("the notifier's delivery store failed: " + e.getSQLState(), e);
        }
    }

    private static String instanceName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "notifier";
        }
        return host + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    /** One channel's value per rotation. */
    public interface RotationMemory {
        Optional<String> get(UUID rotation);

        void put(UUID rotation, String value);
    }
}

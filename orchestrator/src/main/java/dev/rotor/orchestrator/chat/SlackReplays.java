package dev.rotor.orchestrator.chat;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * De-duplicates verified Slack requests durably, on their (timestamp, signature): the pair is claimed in
 * {@code processed_request} (outcome {@code slack}, keyed by a name-based UUID of the pair) before anything runs, so
 * the same request sent again, even after a restart, does nothing. Only requests inside the signature's 5-minute
 * window get this far, and the retention job deletes the rows after {@code ROTOR_ORCHESTRATOR_RETENTION_PERIOD}.
 */
@ApplicationScoped
public class SlackReplays {
    /** True the first time this (timestamp, signature) is seen. */
    public Uni<Boolean> claim(String timestamp, String signature) {
        UUID key = UUID.nameUUIDFromBytes(("slack " + timestamp.trim() + " " + signature.trim())
                .getBytes(StandardCharsets.UTF_8));
        return Panache.withTransaction(() -> Panache.getSession().chain(s -> s.createNativeQuery(
                        "insert into processed_request (request_id, outcome, received_at) values (?1, 'slack', ?2)"
                                + " on conflict do nothing")
                .setParameter(1, key).setParameter(2, Instant.now()).executeUpdate()))
                .map(rows -> rows == 1);
    }
}

package dev.rotor.orchestrator.audit;

import dev.rotor.contracts.audit.AuditChain;
import dev.rotor.contracts.audit.AuditEntry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Appends entries to the hash chain inside the caller's transaction, so an entry commits with the transition it
 * describes or not at all. Appends are serialized by the lock on the one {@code audit_head} row: its holder reads
 * the head, then inserts the entries as head.seq + 1, + 2, ... chained from head.hash and moves the head, in one
 * statement. Callers append as the last statement before their commit, so the lock is held for two round trips and
 * the commit, not for their whole transaction; every other lock they need is already theirs, so waiting for this one
 * cannot deadlock.
 */
@ApplicationScoped
public class AuditLog {
    private static final String INSERT = "insert into audit_entry (seq, at, kind, subject, roles, source, reason,"
            + " client_address, secret_id, rotation_id, detail, prev_hash, hash) values ";

    /** Appends {@code first}, then {@code then}, in the caller's transaction; nothing to append: no lock taken. */
    public Uni<Void> append(List<AuditRecord> first, List<AuditRecord> then) {
        List<AuditRecord> all = new ArrayList<>(first);
        all.addAll(then);
        return append(all);
    }

    /** Appends {@code records} in order, in the caller's transaction. */
    public Uni<Void> append(List<AuditRecord> records) {
        if (records.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Panache.getSession().chain(session -> session
                .<Object[]>createNativeQuery("select seq, hash::text from audit_head where id = 1 for update")
                .getSingleResult()
                .chain(head -> write(session, ((Number) head[0]).longValue(), (String) head[1], records)));
    }

    /** Appends in a transaction of its own (a refused call changes nothing else). */
    public Uni<Void> appendAlone(List<AuditRecord> records) {
        return Panache.withTransaction(() -> append(records));
    }

    private static Uni<Void> write(Mutiny.Session session, long headSeq, String headHash, List<AuditRecord> records) {
        List<Object> values = new ArrayList<>();
        StringJoiner rows = new StringJoiner(", ");
        long seq = headSeq;
        String prev = headHash;
        for (AuditRecord r : records) {
            seq++;
            AuditEntry entry = entry(seq, r);
            String hash = AuditChain.hash(prev, entry);
            Object[] row = {entry.seq(), entry.at(), entry.kind(), entry.subject(), String.join(",", entry.roles()),
                entry.source(), entry.reason(), entry.clientAddress(), entry.secretId(), entry.rotationId(),
                entry.detail(), prev, hash};
            StringJoiner cells = new StringJoiner(", ", "(", ")");
            for (Object cell : row) {
                // A null is written as the literal: an untyped null parameter is not always bindable.
                if (cell == null) {
                    cells.add("null");
                } else {
                    values.add(cell);
                    cells.add("?" + values.size());
                }
            }
            rows.add(cells.toString());
            prev = hash;
        }
        values.add(seq);
        values.add(prev);
        // One round trip while the lock is held: the entries and the new head in one statement.
        Mutiny.Query<Object> append = session.createNativeQuery("with appended as (" + INSERT + rows
                + " returning seq) update audit_head set seq = ?" + (values.size() - 1) + ", hash = ?" + values.size()
                + " where id = 1");
        for (int i = 0; i < values.size(); i++) {
            append.setParameter(i + 1, values.get(i));
        }
        return append.executeUpdate().replaceWithVoid();
    }

    static AuditEntry entry(long seq, AuditRecord r) {
        Actor a = r.actor();
        String detail = r.detail() == null || r.detail().isEmpty() ? null : AuditChain.detail(r.detail());
        return new AuditEntry(seq, r.at(), r.kind(), a.subject(), a.roles(), a.source().wire(), r.reason(),
                a.clientAddress(), r.secretId(), r.rotationId(), detail);
    }
}

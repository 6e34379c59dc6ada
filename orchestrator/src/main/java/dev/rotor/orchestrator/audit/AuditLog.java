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
 * describes or not at all. The entries go into {@code audit_pending} without any lock. {@link AuditChainer} chains
 * the committed ones right after (every 500 ms, and before every read), through the database function
 * {@code audit_chain_pending} under the lock of the one {@code audit_head} row: it gives each the next {@code seq} and
 * its hash, and moves the head. So the chain stays linear, and no transition's commit waits for a shared lock.
 *
 * <p>The hash is the one {@link AuditChain} defines: this class sends each entry's canonical JSON split around the
 * value of {@code seq} (which only the head knows), and the function computes
 * {@code sha256(prev_hash || prefix || seq || suffix)}. The verifier recomputes it in Java.
 */
@ApplicationScoped
public class AuditLog {
    private static final String INSERT = "insert into audit_pending (at, kind, subject, roles, source, reason,"
            + " client_address, secret_id, rotation_id, detail, json_prefix, json_suffix) values ";
    private static final String SEQ_KEY = "\"seq\":";
    private static final long PLACEHOLDER_SEQ = 1;

    /** Appends {@code first}, then {@code then}, in the caller's transaction. */
    public Uni<Void> append(List<AuditRecord> first, List<AuditRecord> then) {
        List<AuditRecord> all = new ArrayList<>(first);
        all.addAll(then);
        return append(all);
    }

    /** Appends {@code records} in order, in the caller's transaction; they are chained when it commits. */
    public Uni<Void> append(List<AuditRecord> records) {
        if (records.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Panache.getSession().chain(session -> insert(session, records));
    }

    /** Appends in a transaction of its own (a refused call changes nothing else). */
    public Uni<Void> appendAlone(List<AuditRecord> records) {
        return Panache.withTransaction(() -> append(records));
    }

    private static Uni<Void> insert(Mutiny.Session session, List<AuditRecord> records) {
        List<Object> values = new ArrayList<>();
        StringJoiner rows = new StringJoiner(", ");
        for (AuditRecord r : records) {
            AuditEntry entry = entry(PLACEHOLDER_SEQ, r);
            String[] json = splitAtSeq(AuditChain.canonicalJson(entry));
            Object[] row = {entry.at(), entry.kind(), entry.subject(), String.join(",", entry.roles()),
                entry.source(), entry.reason(), entry.clientAddress(), entry.secretId(), entry.rotationId(),
                entry.detail(), json[0], json[1]};
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
        }
        Mutiny.Query<Object> insert = session.createNativeQuery(INSERT + rows);
        for (int i = 0; i < values.size(); i++) {
            insert.setParameter(i + 1, values.get(i));
        }
        return insert.executeUpdate().replaceWithVoid();
    }

    /**
     * The canonical JSON before and after the value of the top-level {@code seq}. It is the last {@code "seq":} in
     * the text: only {@code detail} (a key of its own may be "seq") sorts before it, and only the strings of
     * {@code source} and {@code subject} (where a quote is escaped) after it.
     */
    static String[] splitAtSeq(String canonicalJson) {
        String value = SEQ_KEY + PLACEHOLDER_SEQ + ",";
        int at = canonicalJson.lastIndexOf(SEQ_KEY);
        if (at < 0 || !canonicalJson.startsWith(value, at)) {
            throw new IllegalStateException("canonical JSON without its seq");
        }
        return new String[] {canonicalJson.substring(0, at + SEQ_KEY.length()),
            canonicalJson.substring(at + value.length() - 1)};
    }

    static AuditEntry entry(long seq, AuditRecord r) {
        Actor a = r.actor();
        String detail = r.detail() == null || r.detail().isEmpty() ? null : AuditChain.detail(r.detail());
        return new AuditEntry(seq, r.at(), r.kind(), a.subject(), a.roles(), a.source().wire(), r.reason(),
                a.clientAddress(), r.secretId(), r.rotationId(), detail);
    }
}

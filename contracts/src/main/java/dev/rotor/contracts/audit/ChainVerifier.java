package dev.rotor.contracts.audit;

import java.util.ArrayList;
import java.util.List;

/**
 * Walks a stored audit chain in {@code seq} order and says where it was tampered with. Feed it every row with
 * {@link #next}, then {@link #finish} with the head the database recorded. Problems are listed in chain order, so the
 * first is the earliest entry that was changed; the walk goes on after a problem (from the stored hash), so that each
 * later, independent change is named too.
 *
 * <p>What it can tell apart, given that {@code seq} is written 1, 2, 3, ... with no gap and is part of the hash:
 * <ul>
 * <li><b>edited</b>: an entry's hash does not match its own content (a column was changed);</li>
 * <li><b>reordered</b>: an entry's hash matches its content at another {@code seq} (rows were renumbered or
 * swapped);</li>
 * <li><b>deleted</b>: a gap in {@code seq}, an entry whose {@code prev_hash} is not its predecessor's hash, or fewer
 * entries than the recorded head.</li>
 * </ul>
 * An attacker who rewrites every hash from some entry on, and the head, is caught only by comparing with a published
 * checkpoint ({@code audit-checkpoint}): {@link #expect} checks one.
 */
public final class ChainVerifier {
    /** How far from its place a moved entry is looked for. */
    static final int MOVE_WINDOW = 64;

    /** One row of {@code audit_entry} as stored. */
    public record Stored(AuditEntry entry, String prevHash, String hash) {
    }

    /** The outcome: entries walked, the last one's seq and hash, and the problems in chain order. */
    public record Verdict(long count, long headSeq, String headHash, List<String> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private final List<String> problems = new ArrayList<>();
    private long count;
    private long lastSeq;
    private String lastHash = AuditChain.GENESIS;
    private Long expectedSeq;
    private String expectedHash;

    /** Also require that entry {@code seq} has {@code hash}, as a checkpoint published it. */
    public ChainVerifier expect(long seq, String hash) {
        this.expectedSeq = seq;
        this.expectedHash = hash;
        return this;
    }

    public void next(Stored row) {
        count++;
        long seq = row.entry().seq();
        String label = describe(row.entry());
        if (seq > lastSeq + 1) {
            problems.add(seq == lastSeq + 2 ? "entry " + (lastSeq + 1) + " was deleted: entry " + seq + " follows"
                    + " entry " + lastSeq
                    : "entries " + (lastSeq + 1) + " to " + (seq - 1) + " were deleted: entry " + seq
                            + " follows entry " + lastSeq);
        } else if (seq <= lastSeq) {
            problems.add("entry " + seq + " is out of order: it comes after entry " + lastSeq);
        }
        String actual = safeHash(row.prevHash(), row.entry());
        if (!row.hash().equals(actual)) {
            Long movedFrom = movedFrom(row);
            problems.add(movedFrom != null
                    ? "entry " + seq + " was reordered: it was written as entry " + movedFrom + " (" + label + ")"
                    : "entry " + seq + " was edited: its hash does not match its content (" + label + ")");
        } else if (seq == lastSeq + 1 && !row.prevHash().equals(lastHash)) {
            problems.add("entry " + seq + " does not follow entry " + lastSeq + ": its prev_hash is not that entry's"
                    + " hash (an entry was deleted, inserted or reordered before it; " + label + ")");
        }
        if (expectedSeq != null && seq == expectedSeq && !row.hash().equals(expectedHash)) {
            problems.add("entry " + seq + " differs from the published checkpoint: hash " + row.hash()
                    + ", checkpoint " + expectedHash + " (the chain was rewritten from there or before)");
        }
        lastSeq = Math.max(lastSeq, seq);
        lastHash = row.hash();
    }

    /**
     * Ends the walk. {@code headSeq}/{@code headHash} are what the database's head row says the last entry is (null
     * when there is none): entries deleted at the end of the chain show only there.
     */
    public Verdict finish(Long headSeq, String headHash) {
        if (headSeq != null && headSeq > lastSeq) {
            problems.add(headSeq == lastSeq + 1 ? "entry " + headSeq + ", the last one, was deleted: the chain"
                    + " ends at entry " + lastSeq + " but its head is entry " + headSeq
                    : "entries " + (lastSeq + 1) + " to " + headSeq + ", the last ones, were deleted: the chain ends"
                            + " at entry " + lastSeq + " but its head is entry " + headSeq);
        } else if (headSeq != null && headSeq < lastSeq) {
            problems.add("entries " + (headSeq + 1) + " to " + lastSeq + " come after the recorded head (entry "
                    + headSeq + "): they were inserted outside the orchestrator, or the head was moved back");
        } else if (headSeq != null && headSeq == lastSeq && headHash != null && !headHash.equals(lastHash)) {
            problems.add("entry " + lastSeq + ", the last one, does not match the recorded head hash " + headHash);
        }
        if (expectedSeq != null && expectedSeq > lastSeq) {
            problems.add("entry " + expectedSeq + " named by the checkpoint is missing: the chain ends at entry "
                    + lastSeq);
        }
        return new Verdict(count, lastSeq, lastHash, List.copyOf(problems));
    }

    private static Long movedFrom(Stored row) {
        long seq = row.entry().seq();
        for (long other = Math.max(1, seq - MOVE_WINDOW); other <= seq + MOVE_WINDOW; other++) {
            if (other != seq && row.hash().equals(safeHash(row.prevHash(), row.entry().atSeq(other)))) {
                return other;
            }
        }
        return null;
    }

    private static String safeHash(String prevHash, AuditEntry entry) {
        try {
            return AuditChain.hash(prevHash, entry);
        } catch (IllegalArgumentException unreadable) {
            return "unreadable: " + unreadable.getMessage();
        }
    }

    private static String describe(AuditEntry e) {
        return "kind " + e.kind() + ", at " + AuditChain.formatAt(e.at())
                + (e.rotationId() == null ? "" : ", rotation " + e.rotationId());
    }
}

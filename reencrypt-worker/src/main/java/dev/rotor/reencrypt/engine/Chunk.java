package dev.rotor.reencrypt.engine;

import java.util.Arrays;

/**
 * One keyset page of one column: ids (native and as text), stored values, and what the crypto made of each row.
 * Bounded by the chunk size, which is what keeps memory flat.
 */
final class Chunk {
    static final byte PENDING = 0;
    static final byte REWRITE = 1;
    static final byte UNDER_TARGET = 2;
    static final byte UNDECRYPTABLE = 3;
    /** Re-encrypted, but the new value did not decrypt back to the plaintext under the target key. */
    static final byte VERIFY_FAILED = 4;

    final Object[] ids;
    final String[] idTexts;
    final String[] values;
    final byte[] state;
    final String[] newValues;
    /**
     * Atomic mode: whether the database holds, after the UPDATE, exactly the value that was written and verified
     * ({@code RETURNING stored = sent}, compared on the server), by chunk index.
     */
    final boolean[] storedAsWritten;
    final byte[][] plaintexts;
    final String[] reasons;
    int size;

    Chunk(int capacity) {
        ids = new Object[capacity];
        idTexts = new String[capacity];
        values = new String[capacity];
        state = new byte[capacity];
        newValues = new String[capacity];
        storedAsWritten = new boolean[capacity];
        plaintexts = new byte[capacity][];
        reasons = new String[capacity];
    }

    void add(Object id, String idText, String value) {
        ids[size] = id;
        idTexts[size] = idText;
        values[size] = value;
        size++;
    }

    Object firstId() {
        return ids[0];
    }

    Object lastId() {
        return ids[size - 1];
    }

    int count(byte s) {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (state[i] == s) {
                n++;
            }
        }
        return n;
    }

    /** Plaintexts are only needed until verification; do not leave them for the garbage collector to keep. */
    void wipe() {
        for (int i = 0; i < size; i++) {
            if (plaintexts[i] != null) {
                Arrays.fill(plaintexts[i], (byte) 0);
                plaintexts[i] = null;
            }
        }
    }
}

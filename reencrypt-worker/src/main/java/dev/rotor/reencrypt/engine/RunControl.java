package dev.rotor.reencrypt.engine;

/** How a caller follows and steers a running job. Every method is called on the job's own thread. */
public interface RunControl {
    RunControl NONE = new RunControl() {
    };

    /** About once a second, and once at the end. Keep it short. */
    default void onProgress(Progress progress) {
    }

    /** Checked between chunks; true stops the job (atomic: rolled back; online: committed chunks stay). */
    default boolean cancelled() {
        return false;
    }

    /**
     * After each chunk's write, before its commit in online mode. Tests throw from here to inject a crash; a real
     * caller has no use for it.
     */
    default void afterChunkWritten(ColumnTarget column, long rowsWrittenInColumn) {
    }
}

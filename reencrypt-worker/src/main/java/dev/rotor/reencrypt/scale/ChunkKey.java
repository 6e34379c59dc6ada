package dev.rotor.reencrypt.scale;

import dev.rotor.contracts.messages.Direction;
import dev.rotor.contracts.messages.StepRequested;
import java.util.UUID;

/**
 * One chunk of one REENCRYPT command: the command's identity (rotation, direction, attempt, as the job registry
 * de-duplicates commands) and the chunk's place, column index and chunk number. A chunk record carries the last two
 * in its {@value #HEADER} header, as {@code column/chunk}.
 */
public record ChunkKey(UUID rotationId, Direction direction, int attempt, int column, int chunk) {
    public static final String HEADER = "rotor-chunk";

    public static ChunkKey of(StepRequested command, int column, int chunk) {
        return new ChunkKey(command.rotationId(), command.direction(), command.attempt(), column, chunk);
    }

    /** The chunk a record points at; null when the header is missing or not {@code column/chunk}. */
    public static ChunkKey parse(StepRequested command, String header) {
        if (header == null || !header.matches("\\d{1,4}/\\d{1,6}")) {
            return null;
        }
        String[] parts = header.split("/");
        return of(command, Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
    }

    public String header() {
        return column + "/" + chunk;
    }

    /** The record key: chunks of one job spread over the topic's partitions. */
    public String recordKey() {
        return rotationId + "/" + direction + "/" + attempt + "/" + column + "/" + chunk;
    }

    @Override
    public String toString() {
        return "chunk " + chunk + " of column " + column + " (rotation " + rotationId + ", " + direction + ", attempt "
                + attempt + ")";
    }
}

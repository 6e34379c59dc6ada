package dev.rotor.reencrypt.scale;

/** A chunk record that names no chunk this worker could run: it goes to the dead-letter topic. */
public class PoisonChunkException extends RuntimeException {
    public PoisonChunkException(String message) {
        super(message);
    }
}

package dev.rotor.sync.generate;

/** A generator spec that cannot produce a value; the message names the field. */
public class GeneratorException extends IllegalArgumentException {
    public GeneratorException(String message) {
        super(message);
    }
}

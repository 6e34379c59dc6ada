package dev.rotor.sync.target;

import java.nio.file.Path;

/**
 * A value that no dotenv rendering carries to every loader, refused before the file is written. Not retryable: the
 * same value fails the same way. The message names the file, the variable and the kind of character, never the value.
 */
public class UnportableValueException extends TargetException {
    private final String variable;

    public UnportableValueException(Path file, String variable, String reason) {
        super("env file " + file + ": the value for " + variable + " cannot be written so that every dotenv loader"
                + " (Node dotenv, python-dotenv, Docker Compose, a shell's source) reads it back exactly: " + reason,
                false, null);
        this.variable = variable;
    }

    public String variable() {
        return variable;
    }
}

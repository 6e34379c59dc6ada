package dev.rotor.contracts.messages;

/**
 * A record that cannot be turned into a Rotor message: not JSON, an unknown type, or a missing field. Consumers send
 * such records to their dead-letter topic with {@link #getMessage()} as the reason. The message never quotes the
 * payload.
 */
public class MalformedMessageException extends RuntimeException {
    public MalformedMessageException(String message) {
        super(message);
    }
}

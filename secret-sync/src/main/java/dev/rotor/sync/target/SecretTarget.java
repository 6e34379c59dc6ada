package dev.rotor.sync.target;

import java.util.Optional;

/** A place the current value is pushed to (env-file, vault-kv). Values are material: never logged. */
public interface SecretTarget {

    /** For messages: the file and variable, or the KV path and field. Never a value. */
    String describe();

    /** Whether the target also holds the previous value during a grace period. */
    boolean hasPrevious();

    /** What the target holds today (for adoption and undo copies). */
    Optional<String> currentValue();

    Optional<String> previousValue();

    /** Applies both changes at once (one file replacement, one KV version). */
    void write(LineChange current, LineChange previous);

    /** Whether the target also names the user the password belongs to ({@code alternating-users}). */
    default boolean hasUser() {
        return false;
    }

    default Optional<String> userValue() {
        return Optional.empty();
    }

    /**
     * Destroys the copies of {@code old} that the target still keeps besides its live value, once no rotation needs
     * it any more (a KV v2 secret keeps earlier versions; a file keeps none). Harmless when there are none.
     */
    default void destroyEarlier(String old) {
    }

    /** Applies all three changes at once; targets without a user line ignore {@code user}. */
    default void write(LineChange current, LineChange previous, LineChange user) {
        write(current, previous);
    }
}

package dev.rotor.sync.target;

import dev.rotor.contracts.catalog.TargetSpec;
import dev.rotor.sync.io.AtomicFiles;
import java.nio.file.Path;
import java.util.Optional;

/** The {@code env-file} target of a catalog entry: {@code variable} holds the current value, {@code previous-variable}
 * (optional) the previous one during a grace period. */
public record EnvFileTarget(Path path, String variable, String previousVariable, String userVariable)
        implements SecretTarget {
    public static final String TYPE = "env-file";
    /**
     * One lock per file: commands of different rotations run concurrently and several secrets may share one file, so
     * each read-modify-write (itself one atomic replacement) must not interleave with another one of the same file.
     */
    private static final java.util.Map<Path, Object> FILE_LOCKS = new java.util.concurrent.ConcurrentHashMap<>();

    public static EnvFileTarget of(TargetSpec spec) {
        if (!TYPE.equals(spec.type())) {
            throw new TargetException("target type '" + spec.type() + "' is not supported yet", false, null);
        }
        if (spec.path() == null || spec.variable() == null) {
            throw new TargetException("env-file target needs path and variable", false, null);
        }
        String previous = spec.previousVariable() == null || spec.previousVariable().isBlank()
                ? null : spec.previousVariable();
        String user = spec.userVariable() == null || spec.userVariable().isBlank() ? null : spec.userVariable();
        return new EnvFileTarget(Path.of(spec.path()), spec.variable(), previous, user);
    }

    @Override
    public String describe() {
        return variable + " in " + path;
    }

    @Override
    public boolean hasPrevious() {
        return previousVariable != null;
    }

    /** The value {@code variable} holds today, if any. */
    @Override
    public Optional<String> currentValue() {
        return EnvFile.read(path).get(variable);
    }

    /** The value {@code previous-variable} holds today (empty when absent or when the target has none). */
    @Override
    public Optional<String> previousValue() {
        return hasPrevious() ? EnvFile.read(path).get(previousVariable) : Optional.empty();
    }

    @Override
    public boolean hasUser() {
        return userVariable != null;
    }

    /** The user name {@code user-variable} holds today (empty when absent or when the target has none). */
    @Override
    public Optional<String> userValue() {
        return hasUser() ? EnvFile.read(path).get(userVariable) : Optional.empty();
    }

    /** Applies both changes in one atomic replacement of the file. */
    @Override
    public void write(LineChange current, LineChange previous) {
        write(current, previous, LineChange.keep());
    }

    /** Applies the three changes in one atomic replacement, so an app never sees a user with another's password. */
    @Override
    public void write(LineChange current, LineChange previous, LineChange user) {
        synchronized (FILE_LOCKS.computeIfAbsent(lockKey(), p -> new Object())) {
            EnvFile file = EnvFile.read(path);
            apply(file, variable, current);
            if (hasPrevious()) {
                apply(file, previousVariable, previous);
            }
            if (hasUser()) {
                apply(file, userVariable, user);
            }
            file.save();
        }
    }

    /** The file the bytes go to, so two links to one file share its lock. */
    private Path lockKey() {
        try {
            return AtomicFiles.resolved(path).normalize();
        } catch (java.io.IOException e) {
            return path.toAbsolutePath().normalize(); // read() then names the problem
        }
    }

    private static void apply(EnvFile file, String name, LineChange change) {
        switch (change.kind()) {
            case SET -> file.set(name, change.value());
            case CLEAR -> file.get(name).ifPresent(v -> file.set(name, ""));
            case REMOVE -> file.remove(name);
            case KEEP -> { }
        }
    }
}

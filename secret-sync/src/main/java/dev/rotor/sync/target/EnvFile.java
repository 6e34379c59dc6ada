package dev.rotor.sync.target;

import dev.rotor.sync.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code .env} file in memory. Edits touch only the lines of the named variables; every other line, comment, blank
 * line, the order and the line endings stay byte for byte. {@link #save()} replaces the file atomically and keeps its
 * owner, group and mode, and does nothing when no line changed.
 */
public final class EnvFile {
    private static final Set<String> PERMANENT_REASONS = Set.of("File name too long", "Is a directory",
            "Not a directory", "Read-only file system");
    /** ELOOP; the JDK adds "or unable to access attributes of symbolic link". */
    private static final String LINK_LOOP = "Too many levels of symbolic links";
    private static final Pattern ASSIGNMENT =
            Pattern.compile("^(\\s*(?:export\\s+)?)([A-Za-z_][A-Za-z0-9_.-]*)(\\s*=)(.*?)(\\r?)\\z");

    private final Path path;
    private final List<String> lines;
    private final boolean trailingNewline;
    private final String original;

    private EnvFile(Path path, String content) {
        this.path = path;
        this.original = content;
        this.trailingNewline = content.isEmpty() || content.endsWith("\n");
        String body = content.endsWith("\n") ? content.substring(0, content.length() - 1) : content;
        this.lines = body.isEmpty() ? new ArrayList<>() : new ArrayList<>(List.of(body.split("\n", -1)));
    }

    /** Reads the file; a missing or unreadable file is a {@link TargetException} naming it. */
    public static EnvFile read(Path path) {
        if (Files.isDirectory(path)) {
            throw new TargetException("env file " + path + " is a directory", false, null);
        }
        try {
            return new EnvFile(path, Files.readString(path, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new TargetException("env file " + path + " does not exist", false, e);
        } catch (AccessDeniedException e) {
            throw new TargetException("env file " + path + " is not readable (permission denied)", false, e);
        } catch (IOException e) {
            throw new TargetException("cannot read env file " + path + ": " + reason(e), !permanent(e), e);
        }
    }

    public Path path() {
        return path;
    }

    /** The value of the last assignment of {@code name} (as loaders see it), empty when there is none. */
    public Optional<String> get(String name) {
        String found = null;
        for (String line : lines) {
            Matcher m = match(line, name);
            if (m != null) {
                found = DotenvValues.parse(m.group(4));
            }
        }
        return Optional.ofNullable(found);
    }

    /**
     * Sets every assignment of {@code name}, or appends one when there is none. A value that no rendering carries to
     * every loader is refused here, in memory, so the file is never half written.
     */
    public void set(String name, String value) {
        String rendered = DotenvValues.render(value).orElseThrow(
                () -> new UnportableValueException(path, name, DotenvValues.refusal(value).orElseThrow()));
        boolean seen = false;
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = match(lines.get(i), name);
            if (m != null) {
                lines.set(i, m.group(1) + name + m.group(3) + rendered + m.group(5));
                seen = true;
            }
        }
        if (!seen) {
            lines.add(name + "=" + rendered);
        }
    }

    /** Removes every assignment of {@code name} (used only to restore a line that did not exist). */
    public void remove(String name) {
        lines.removeIf(line -> match(line, name) != null);
    }

    public String content() {
        String body = String.join("\n", lines);
        return trailingNewline && !lines.isEmpty() ? body + "\n" : body;
    }

    /**
     * Writes the file back atomically, if anything changed, keeping its owner, group and mode. Through a symbolic
     * link, the file it leads to is replaced and the link stays.
     */
    public void save() {
        String content = content();
        if (content.equals(original)) {
            return;
        }
        try {
            AtomicFiles.rewrite(path, content.getBytes(StandardCharsets.UTF_8));
        } catch (AccessDeniedException e) {
            String detail = e.getReason() == null ? "permission denied" : "permission denied: " + e.getReason();
            throw new TargetException("env file " + path + " is not writable (" + detail + ")", false, e);
        } catch (IOException e) {
            throw new TargetException("cannot write env file " + path + ": " + reason(e), !permanent(e), e);
        }
    }

    /**
     * Failures that trying again cannot mend: the path itself is wrong (too long, a directory, under a file, a loop of
     * links) or the file system is read-only. Anything else (a full disk, an I/O error) may pass, so it is retried.
     */
    static boolean permanent(IOException e) {
        if (e instanceof NotDirectoryException || e instanceof FileSystemLoopException) {
            return true;
        }
        String reason = e instanceof FileSystemException f ? f.getReason() : null;
        return reason != null && (PERMANENT_REASONS.contains(reason) || reason.startsWith(LINK_LOOP));
    }

    /** The operating system's reason (never file content), else the exception's type. */
    private static String reason(IOException e) {
        String reason = e instanceof FileSystemException f ? f.getReason() : null;
        return reason != null ? reason : e.getClass().getSimpleName();
    }

    private static Matcher match(String line, String name) {
        Matcher m = ASSIGNMENT.matcher(line);
        return m.matches() && m.group(2).equals(name) ? m : null;
    }
}

package dev.rotor.notifier.delivery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The notifier's durable memory: one append-only file, {@code <dir>/delivered.log}, each line written and fsync'd
 * before the call returns. One line per fact, its fields URL-encoded so that none holds a space or a line break:
 * <pre>
 * &lt;epoch ms&gt; C &lt;channel&gt; &lt;event id&gt;        claimed: handed to the channel, before its first attempt
 * &lt;epoch ms&gt; D &lt;channel&gt; &lt;event id&gt;        delivered
 * &lt;epoch ms&gt; R &lt;channel&gt; &lt;event id&gt;        released: given up on, a redelivery may try again
 * &lt;epoch ms&gt; S &lt;channel&gt; &lt;rotation&gt; &lt;value&gt; a channel's memory of a rotation (Slack's message ts)
 * </pre>
 * A pair claimed and never finished by an earlier process is {@link Status#IN_DOUBT}: it may have arrived. Facts older
 * than the retention are dropped when the file is compacted: at open, and every {@value #COMPACT_AFTER} appends. A
 * torn last line (a crash mid-write) is skipped. Only ids, channel names and Slack timestamps are written, never a
 * message body nor a secret. One process per file, held by {@code delivered.lock}.
 */
public final class DeliveryLog implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DeliveryLog.class);
    static final int COMPACT_AFTER = 10_000;

    public enum Status {
        CLAIMED, DELIVERED, IN_DOUBT
    }

    private record Fact(String value, long at) {
    }

    private final Path file;
    private final Duration retention;
    private final Clock clock;
    private final FileChannel lockFile;
    private final FileLock lock;
    private final Map<String, Fact> pairs = new HashMap<>();
    private final Map<String, Fact> states = new HashMap<>();
    private FileChannel out;
    private int appended;

    private DeliveryLog(Path dir, Duration retention, Clock clock) throws IOException {
        this.file = dir.resolve("delivered.log");
        this.retention = retention;
        this.clock = clock;
        this.lockFile = FileChannel.open(dir.resolve("delivered.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock held;
        try {
            held = lockFile.tryLock();
        } catch (OverlappingFileLockException e) {
            held = null;
        }
        if (held == null) {
            lockFile.close();
            throw new IllegalStateException("another notifier uses " + dir + " (" + dir.resolve("delivered.lock")
                    + " is locked); give each notifier its own ROTOR_HOME");
        }
        this.lock = held;
    }

    /** Opens (creating it, owner-only) the log in {@code dir}, replays it, then compacts it. */
    public static DeliveryLog open(Path dir, Duration retention, Clock clock) {
        try {
            createOwnerOnly(dir);
            DeliveryLog log = new DeliveryLog(dir, retention, clock);
            try {
                log.replay();
                log.compact();
            } catch (IOException | RuntimeException e) {
                log.close();
                throw e;
            }
            return log;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the notifier's delivery log in " + dir, e);
        }
    }

    public synchronized Optional<Status> status(String channel, String eventId) {
        Fact fact = pairs.get(key(channel, eventId));
        return Optional.ofNullable(fact).map(f -> Status.valueOf(f.value()));
    }

    public synchronized void claim(String channel, String eventId) {
        put(pairs, key(channel, eventId), Status.CLAIMED.name(), "C", channel, eventId);
    }

    public synchronized void delivered(String channel, String eventId) {
        put(pairs, key(channel, eventId), Status.DELIVERED.name(), "D", channel, eventId);
    }

    public synchronized void release(String channel, String eventId) {
        pairs.remove(key(channel, eventId));
        append("R", channel, eventId);
    }

    public synchronized Optional<String> state(String channel, String rotation) {
        return Optional.ofNullable(states.get(key(channel, rotation))).map(Fact::value);
    }

    public synchronized void putState(String channel, String rotation, String value) {
        put(states, key(channel, rotation), value, "S", channel, rotation, value);
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized void close() {
        try {
            if (out != null) {
                out.close();
            }
            if (lock != null && lock.isValid()) {
                lock.release();
            }
            lockFile.close();
        } catch (IOException e) {
            LOG.warnf("closing the delivery log %s: %s", file, e.getClass().getSimpleName());
        }
    }

    private void put(Map<String, Fact> map, String key, String value, String op, String... fields) {
        map.put(key, new Fact(value, clock.millis()));
        append(op, fields);
    }

    private void append(String op, String... fields) {
        try {
            out.write(ByteBuffer.wrap(line(clock.millis(), op, fields).getBytes(StandardCharsets.UTF_8)));
            out.force(false);
            if (++appended >= COMPACT_AFTER) {
                compact();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the notifier's delivery log " + file, e);
        }
    }

    private void replay() throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        int torn = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!apply(line.split(" ", -1))) {
                torn++;
            }
        }
        if (torn > 0) {
            LOG.warnf("delivery log %s: skipped %d unreadable line(s) (a crash mid-write)", file, torn);
        }
        // A claim that an earlier process never finished: it may or may not have reached the channel.
        pairs.replaceAll((k, f) -> f.value().equals(Status.CLAIMED.name())
                ? new Fact(Status.IN_DOUBT.name(), f.at()) : f);
    }

    private boolean apply(String[] f) {
        try {
            long at = Long.parseLong(f[0]);
            switch (f.length == 4 || f.length == 5 ? f[1] : "?") {
                case "C" -> pairs.put(key(decode(f[2]), decode(f[3])), new Fact(Status.CLAIMED.name(), at));
                case "D" -> pairs.put(key(decode(f[2]), decode(f[3])), new Fact(Status.DELIVERED.name(), at));
                case "R" -> pairs.remove(key(decode(f[2]), decode(f[3])));
                case "S" -> {
                    if (f.length != 5) {
                        return false;
                    }
                    states.put(key(decode(f[2]), decode(f[3])), new Fact(decode(f[4]), at));
                }
                default -> {
                    return false;
                }
            }
            return true;
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            return false;
        }
    }

    /** Rewrites the file with the live facts only (older than the retention dropped), then appends to the new one. */
    private void compact() throws IOException {
        long oldest = clock.millis() - retention.toMillis();
        pairs.values().removeIf(f -> f.at() < oldest);
        states.values().removeIf(f -> f.at() < oldest);
        StringBuilder text = new StringBuilder();
        pairs.forEach((k, f) -> {
            String[] cd = split(k);
            text.append(line(f.at(), f.value().equals(Status.DELIVERED.name()) ? "D" : "C", cd[0], cd[1]));
        });
        states.forEach((k, f) -> {
            String[] cr = split(k);
            text.append(line(f.at(), "S", cr[0], cr[1], f.value()));
        });
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel tmp = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            tmp.write(ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)));
            tmp.force(true);
        }
        if (out != null) {
            out.close();
        }
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        appended = 0;
    }

    private static String line(long at, String op, String... fields) {
        StringBuilder line = new StringBuilder().append(at).append(' ').append(op);
        for (String field : fields) {
            line.append(' ').append(URLEncoder.encode(field, StandardCharsets.UTF_8));
        }
        return line.append('\n').toString();
    }

    private static String decode(String field) {
        return URLDecoder.decode(field, StandardCharsets.UTF_8);
    }

    private static String key(String channel, String id) {
        return channel + '\u0000' + id;
    }

    private static String[] split(String key) {
        int cut = key.indexOf('\u0000');
        return new String[] {key.substring(0, cut), key.substring(cut + 1)};
    }

    private static void createOwnerOnly(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                    "rwx------")));
        } catch (UnsupportedOperationException e) {
            Files.createDirectories(dir);
        }
    }

    /** For tests: the raw lines of the file. */
    List<String> lines() throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8);
    }
}

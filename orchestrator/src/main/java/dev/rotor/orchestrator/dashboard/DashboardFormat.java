package dev.rotor.orchestrator.dashboard;

import io.quarkus.qute.TemplateExtension;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Template helpers, {@code {fmt:time(x)}}: times in UTC to the second, a dash for nothing. */
@TemplateExtension(namespace = "fmt")
public final class DashboardFormat {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
            .withZone(ZoneOffset.UTC);

    private DashboardFormat() {
    }

    static String time(Instant at) {
        return at == null ? "—" : TIME.format(at);
    }

    /** To the minute, for tables; the column header says UTC. */
    static String minute(Instant at) {
        return at == null ? "—" : MINUTE.format(at);
    }

    static String text(Object value) {
        return value == null || value.toString().isBlank() ? "—" : value.toString();
    }

    static String version(Integer v) {
        return v == null ? "—" : "v" + v;
    }
}

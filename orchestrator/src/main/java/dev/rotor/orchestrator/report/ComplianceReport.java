package dev.rotor.orchestrator.report;

import dev.rotor.contracts.catalog.SecretEntry;
import dev.rotor.orchestrator.catalog.CatalogHolder;
import dev.rotor.orchestrator.persistence.RotationEntity;
import dev.rotor.orchestrator.saga.RotationState;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Compliance evidence over a period, as CSV (RFC 4180): one row per rotation of each catalog entry requested in
 * {@code [since, until)}, and one row for an entry with none. Each row gives the secret's age when the rotation was
 * requested (since the previous completed rotation) and whether the entry is past its {@code max-age} at
 * {@code until}. Free text is quoted, and a cell that a spreadsheet would run as a formula is prefixed with {@code '}.
 */
@ApplicationScoped
public class ComplianceReport {
    static final String HEADER = "secret_id,kind,strategy,max_age,rotation_id,trigger,state,requested_by,requested_at,"
            + "completed_at,age_at_request_days,past_max_age_at_until";

    @Inject
    CatalogHolder catalog;

    public Uni<String> csv(Instant since, Instant until) {
        return Panache.withSession(() -> RotationEntity.<RotationEntity>list(
                        "requestedAt < ?1 order by secretId, requestedAt", until)
                .map(rows -> render(rows, since, until)));
    }

    private String render(List<RotationEntity> rows, Instant since, Instant until) {
        Map<String, List<RotationEntity>> bySecret = rows.stream()
                .collect(Collectors.groupingBy(r -> r.secretId));
        StringBuilder csv = new StringBuilder(HEADER).append("\r\n");
        for (SecretEntry entry : catalog.secrets()) {
            List<RotationEntity> all = bySecret.getOrDefault(entry.id(), List.of());
            List<RotationEntity> completed = all.stream()
                    .filter(r -> RotationState.COMPLETED.name().equals(r.state) && !r.dryRun && r.completedAt != null
                            && r.completedAt.isBefore(until)).toList();
            String past = pastMaxAge(entry, completed, until);
            List<RotationEntity> inPeriod = all.stream().filter(r -> !r.requestedAt.isBefore(since)).toList();
            if (inPeriod.isEmpty()) {
                line(csv, entry, null, null, past);
            }
            for (RotationEntity r : inPeriod) {
                Instant previous = completed.stream().map(c -> c.completedAt)
                        .filter(t -> t.isBefore(r.requestedAt)).max(Instant::compareTo).orElse(null);
                line(csv, entry, r, previous == null ? null : Duration.between(previous, r.requestedAt), past);
            }
        }
        return csv.toString();
    }

    /** "yes" / "no" / "never rotated"; empty without a max-age. */
    private static String pastMaxAge(SecretEntry entry, List<RotationEntity> completed, Instant until) {
        if (entry.maxAgeDuration().isEmpty()) {
            return "";
        }
        Instant last = completed.stream().map(c -> c.completedAt).max(Instant::compareTo).orElse(null);
        if (last == null) {
            return "never rotated";
        }
        return Duration.between(last, until).compareTo(entry.maxAgeDuration().get()) > 0 ? "yes" : "no";
    }

    private static void line(StringBuilder csv, SecretEntry e, RotationEntity r, Duration age, String past) {
        String kind = e.kind() == null ? "" : e.kind().name().toLowerCase(Locale.ROOT).replace('_', '-');
        List<String> cells = new ArrayList<>(List.of(e.id(), kind,
                e.strategy() == null ? "" : e.strategy().catalogName(), e.maxAge() == null ? "" : e.maxAge()));
        if (r == null) {
            cells.addAll(List.of("", "", "", "", "", ""));
        } else {
            cells.addAll(List.of(r.id.toString(), r.trigger, r.state, r.requestedBy == null ? "" : r.requestedBy,
                    r.requestedAt.toString(), r.completedAt == null ? "" : r.completedAt.toString()));
        }
        cells.add(age == null ? "" : String.format(Locale.ROOT, "%.2f", age.toSeconds() / 86400.0));
        cells.add(past);
        csv.append(cells.stream().map(ComplianceReport::cell).collect(Collectors.joining(","))).append("\r\n");
    }

    /** RFC 4180 quoting, and formula injection defused. */
    static String cell(String value) {
        String v = value;
        if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v;
        }
        if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
            v = "\"" + v.replace("\"", "\"\"") + "\"";
        }
        return v;
    }
}

package dev.rotor.orchestrator.rest;

import dev.rotor.auth.Roles;
import dev.rotor.orchestrator.report.ComplianceReport;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Compliance evidence: {@code GET /api/reports/rotations?since=&until=} as CSV. */
@Path("/api/reports")
public class ReportResource {
    static final String CSV = "text/csv";

    @Inject
    ComplianceReport compliance;

    /**
     * Every catalog entry, its rotations requested in {@code [since, until)}, the secret's age at each, and whether it
     * is past its {@code max-age} at {@code until}. Both bounds take an instant ({@code 2026-10-01T00:00:00Z}) or a
     * date ({@code 2026-10-01}, midnight UTC); {@code until} defaults to now and {@code since} to 365 days before it.
     */
    @GET
    @Path("rotations")
    @Produces(CSV)
    @RolesAllowed(Roles.VIEWER)
    public Uni<Response> rotations(@QueryParam("since") String since, @QueryParam("until") String until) {
        Instant to = until == null || until.isBlank() ? Instant.now() : parse("until", until);
        Instant from = since == null || since.isBlank() ? to.minus(Duration.ofDays(365)) : parse("since", since);
        if (!from.isBefore(to)) {
            throw ProblemException.badRequest("query parameter 'since' must be before 'until'");
        }
        return compliance.csv(from, to).map(csv -> Response.ok(csv, CSV + "; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"rotor-rotations.csv\"").build());
    }

    private static Instant parse(String name, String value) {
        try {
            return value.length() == 10 ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest("query parameter '" + name + "' must be an instant such as "
                    + "2026-10-01T00:00:00Z or a date such as 2026-10-01");
        }
    }
}

package dev.rotor.orchestrator.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rotor.auth.Caller;
import dev.rotor.auth.RoleRequiredException;
import dev.rotor.auth.Roles;
import dev.rotor.contracts.messages.Trigger;
import dev.rotor.orchestrator.audit.Actor;
import dev.rotor.orchestrator.audit.ClientAddress;
import dev.rotor.orchestrator.report.RotationReports;
import dev.rotor.orchestrator.rest.Problem;
import dev.rotor.orchestrator.rest.ProblemException;
import dev.rotor.orchestrator.rest.ProblemMappers;
import dev.rotor.orchestrator.rest.RotationResource;
import dev.rotor.orchestrator.rest.RotationRequestParser;
import dev.rotor.orchestrator.rotation.Approvals;
import dev.rotor.orchestrator.rotation.RotationAsk;
import dev.rotor.orchestrator.rotation.RotationRefused;
import dev.rotor.orchestrator.rotation.RotationService;
import dev.rotor.orchestrator.rotation.SagaDriver;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The dashboard at {@code /}: secrets, rotations (filtered by state and secret) and a rotation's saga timeline,
 * server-rendered with Qute; htmx (a WebJar) refreshes the rotations table, and a rotation's timeline streams in as
 * server-sent events while it runs.
 * Its buttons call the same services as the API ({@link RotationService}, {@link SagaDriver}, {@link Approvals})
 * under the same roles, and each button is only drawn for a caller who holds its role; the role checks below refuse
 * the action anyway (403 problem+json, audited like the API's). Sign-in: {@link LoginResource}; the session cookie
 * and the CSRF check: {@link DashboardSession}.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class DashboardResource {
    @Inject
    SecretOverview secrets;
    @Inject
    RotationTimeline timelines;
    @Inject
    RotationReports reports;
    @Inject
    RotationService rotations;
    @Inject
    SagaDriver driver;
    @Inject
    Approvals approvals;
    @Inject
    RotationRequestParser parser;
    @Inject
    ObjectMapper json;
    @Inject
    SecurityIdentity caller;

    @CheckedTemplate(basePath = "dashboard")
    static class Templates {
        static native TemplateInstance secrets(Who who, List<SecretOverview.Row> rows);

        static native TemplateInstance rotations(Who who, RotationTimeline.Filter filter,
                List<RotationTimeline.ListRow> rows, List<String> states, List<String> secretIds);

        static native TemplateInstance rotations$table(RotationTimeline.Filter filter,
                List<RotationTimeline.ListRow> rows);

        static native TemplateInstance rotation(Who who, RotationTimeline.View view);

        static native TemplateInstance rotation$timeline(Who who, RotationTimeline.View view);

        static native TemplateInstance error(Who who, int status, String title, String detail);
    }

    /** The caller, and which buttons to draw for them. */
    public record Who(String subject, boolean operator, boolean responder, boolean approver) {
        static Who of(SecurityIdentity identity) {
            if (identity == null || identity.isAnonymous()) {
                return new Who(null, false, false, false);
            }
            return new Who(Caller.subject(identity), identity.hasRole(Roles.OPERATOR),
                    identity.hasRole(Roles.RESPONDER), identity.hasRole(Roles.APPROVER));
        }
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    public Uni<TemplateInstance> secretsPage() {
        return secrets.rows().map(rows -> Templates.secrets(Who.of(caller), rows));
    }

    /** The table alone when htmx asks ({@code HX-Request}), so the filters swap it in place. */
    @GET
    @Path("rotations")
    @RolesAllowed(Roles.VIEWER)
    public Uni<TemplateInstance> rotationsPage(@QueryParam("state") String state, @QueryParam("secret") String secret,
            @HeaderParam("HX-Request") String htmx) {
        RotationTimeline.Filter filter = RotationTimeline.Filter.of(state, secret);
        return timelines.list(filter).map(rows -> htmx != null ? Templates.rotations$table(filter, rows)
                : Templates.rotations(Who.of(caller), filter, rows, RotationTimeline.STATES,
                        secrets.secretIds()));
    }

    @GET
    @Path("rotations/{id}")
    @RolesAllowed(Roles.VIEWER)
    public Uni<TemplateInstance> rotationPage(@PathParam("id") String id) {
        return timelines.view(parseId(id)).map(view -> Templates.rotation(Who.of(caller), view));
    }

    /** The timeline fragment alone, as the stream below sends it. */
    @GET
    @Path("rotations/{id}/timeline")
    @RolesAllowed(Roles.VIEWER)
    public Uni<TemplateInstance> timeline(@PathParam("id") String id) {
        return timelines.view(parseId(id)).map(view -> Templates.rotation$timeline(Who.of(caller), view));
    }

    /**
     * The rotation page's live timeline, as server-sent events: every second while the rotation is active, a
     * {@code timeline} event with the fragment; once it has ended, one {@code ended} event with the page's final
     * {@code #live} block (no stream in it, so the page stops listening) and the end of the stream. A stream lasts at
     * most {@link #STREAM_FOR}; the browser then reconnects, and the session cookie is checked again.
     */
    @GET
    @Path("rotations/{id}/timeline/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RolesAllowed(Roles.VIEWER)
    public Multi<OutboundSseEvent> timelineStream(@PathParam("id") String id, @Context Sse sse) {
        UUID rotationId = parseId(id);
        Who who = Who.of(caller);
        // Hibernate Reactive runs on the request's Vert.x context; the ticks come from another thread.
        io.vertx.core.Context context = Vertx.currentContext();
        OutboundSseEvent last = sse.newEventBuilder().name("end").data("").build();
        return Multi.createFrom().ticks().startingAfter(Duration.ofMillis(1)).every(Duration.ofSeconds(1))
                .select().first(STREAM_FOR)
                .onItem().transformToUniAndConcatenate(tick -> Uni.createFrom().voidItem()
                        .emitOn(run -> context.runOnContext(ignored -> run.run()))
                        .chain(() -> timelines.view(rotationId)))
                .onItem().transformToIterable(view -> {
                    String fragment = oneLine(Templates.rotation$timeline(who, view).render());
                    if (view.active()) {
                        return List.of(sse.newEventBuilder().name("timeline").data(fragment).build());
                    }
                    return List.of(sse.newEventBuilder().name("ended")
                            .data("<div id=\"live\"><div id=\"slot\">" + fragment + "</div></div>").build(), last);
                })
                .select().first(event -> event != last);
    }

    static final Duration STREAM_FOR = Duration.ofMinutes(5);

    /** An event's data on one line: HTML does not need the line breaks, and SSE would split the data on them. */
    private static String oneLine(String html) {
        return html.replaceAll("\\s*\\R\\s*", " ");
    }

    /** The rotation report as Markdown (as {@code GET /api/rotations/{id}/report} gives it), shown as plain text. */
    @GET
    @Path("rotations/{id}/report")
    @Produces(MediaType.TEXT_PLAIN)
    @RolesAllowed(Roles.VIEWER)
    public Uni<String> report(@PathParam("id") String id) {
        UUID rotationId = parseId(id);
        return reports.report(rotationId).map(report -> {
            if (report == null) {
                throw ProblemException.notFound("no rotation with id " + rotationId);
            }
            return RotationReports.markdown(report);
        });
    }

    /** The rotate, dry run and emergency buttons: the same request, validation and roles as POST /api/rotations. */
    @POST
    @Path("rotations")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.OPERATOR)
    public Uni<Response> start(@FormParam("secretId") String secretId, @FormParam("action") String action,
            @FormParam("reason") String reason, @Context HttpServerRequest http) {
        ObjectNode body = json.createObjectNode().put("secretId", secretId)
                .put("trigger", "emergency".equals(action) ? "EMERGENCY" : "MANUAL")
                .put("dryRun", "dry-run".equals(action));
        body.put("reason", reason == null || reason.isBlank() ? "from the dashboard" : reason.trim());
        RotationRequestParser.Parsed request = parser.parse(body.toString());
        if (request.trigger() == Trigger.EMERGENCY) {
            RoleRequiredException.require(caller, Roles.RESPONDER, "an EMERGENCY rotation");
        }
        return rotations.accept(new RotationAsk(request.secretId(), request.trigger(), request.reason(),
                        request.dryRun(), Actor.rest(caller, ClientAddress.of(http))))
                .map(row -> Response.seeOther(URI.create("/rotations/" + row.id)).build());
    }

    @POST
    @Path("rotations/{id}/abort")
    @RolesAllowed(Roles.RESPONDER)
    public Uni<Response> abort(@PathParam("id") String id, @Context HttpServerRequest http) {
        UUID rotationId = parseId(id);
        return driver.abort(rotationId, Actor.rest(caller, ClientAddress.of(http)))
                .map(aborted -> RotationResource.acted(rotationId, aborted))
                .map(acted -> Response.seeOther(URI.create("/rotations/" + rotationId)).build());
    }

    @POST
    @Path("rotations/{id}/approve")
    @RolesAllowed({Roles.APPROVER, Roles.RESPONDER})
    public Uni<Response> approve(@PathParam("id") String id, @Context HttpServerRequest http) {
        UUID rotationId = parseId(id);
        return approvals.decide(rotationId, Actor.rest(caller, ClientAddress.of(http)), Approvals.Decision.APPROVED,
                        "approved on the dashboard")
                .map(outcome -> Response.seeOther(URI.create("/rotations/" + rotationId)).build());
    }

    /** No session, or none any more: to the sign-in page, and back here afterwards. */
    @ServerExceptionMapper
    public Response signIn(UnauthorizedException e, UriInfo uri, Request request) {
        return toLogin(uri, request, false);
    }

    @ServerExceptionMapper
    public Response sessionRefused(AuthenticationFailedException e, UriInfo uri, Request request) {
        return toLogin(uri, request, true);
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return page(e.status(), e.title(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response refused(RotationRefused e, UriInfo uri) {
        Problem p = ProblemMappers.problem(e, uri.getPath());
        return page(p.status(), p.title(), p.detail());
    }

    @ServerExceptionMapper
    public Response decisionRefused(Approvals.Refused e) {
        return switch (e.kind()) {
            case NOT_FOUND -> page(404, "Not found", e.getMessage());
            case FORBIDDEN -> page(403, "Approval refused", e.getMessage());
            case CONFLICT -> page(409, "Not awaiting this decision", e.getMessage());
        };
    }

    private Response page(int status, String title, String detail) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE)
                .entity(Templates.error(Who.of(caller), status, title, detail)).build();
    }

    /** Back to the page after signing in; a refused POST goes back to the overview, never repeats itself. */
    private static Response toLogin(UriInfo uri, Request request, boolean expired) {
        String next = "GET".equals(request.getMethod()) ? uri.getRequestUri().getRawPath() : "/";
        String query = "?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8) + (expired ? "&expired=true" : "");
        return Response.seeOther(URI.create("/login" + query)).build();
    }

    private static UUID parseId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(404, "not-found", "Not found", "no rotation with id " + id);
        }
    }
}

package dev.rotor.orchestrator.rest;

import dev.rotor.auth.RoleRequiredException;
import dev.rotor.auth.Roles;
import dev.rotor.contracts.messages.Trigger;
import dev.rotor.orchestrator.audit.Actor;
import dev.rotor.orchestrator.audit.ClientAddress;
import dev.rotor.orchestrator.persistence.RotationEntity;
import dev.rotor.orchestrator.persistence.RotationProgressEntity;
import dev.rotor.orchestrator.persistence.RotationStepEntity;
import dev.rotor.orchestrator.report.RotationReports;
import dev.rotor.orchestrator.rotation.Approvals;
import dev.rotor.orchestrator.rotation.Rollbacks;
import dev.rotor.orchestrator.rotation.RotationAsk;
import dev.rotor.orchestrator.rotation.RotationService;
import dev.rotor.orchestrator.rotation.SagaDriver;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.UUID;

/**
 * Starts and shows rotations. Errors are problem+json (see {@link ProblemMappers}; 401/403/415 from the auth
 * library). Roles: {@code viewer} reads, {@code operator} starts MANUAL rotations and dry runs, {@code responder}
 * starts EMERGENCY rotations, aborts and rolls back, {@code approver} (or {@code responder}, where the entry allows it) approves
 * and denies rotations awaiting approval.
 */
@Path("/api/rotations")
@Produces(MediaType.APPLICATION_JSON)
public class RotationResource {
    private static final int MAX_LIMIT = 500;
    static final String MARKDOWN = "text/markdown";

    @Inject
    RotationService rotations;
    @Inject
    RotationRequestParser parser;
    @Inject
    SagaDriver driver;
    @Inject
    Approvals approvals;
    @Inject
    Rollbacks rollbacks;
    @Inject
    RotationReports reports;
    @Inject
    SecurityIdentity caller;

    /**
     * {@code {"secretId", "trigger": MANUAL|EMERGENCY, "reason", "dryRun", "backupCheckOverride"}} → 202
     * {@code {"id","state"}}. An EMERGENCY, and skipping the entry's backup check, need the responder role.
     */
    @POST
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed(Roles.OPERATOR)
    public Uni<Response> create(String body, UriInfo uri, @Context HttpServerRequest http) {
        RotationRequestParser.Parsed request = parser.parse(body);
        if (request.trigger() == Trigger.EMERGENCY) {
            RoleRequiredException.require(caller, Roles.RESPONDER, "an EMERGENCY rotation");
        }
        if (request.backupCheckOverride() != null) {
            RoleRequiredException.require(caller, Roles.RESPONDER, "skipping a backup check (backupCheckOverride)");
        }
        return rotations.accept(new RotationAsk(request.secretId(), request.trigger(), request.reason(),
                        request.dryRun(), Actor.rest(caller, ClientAddress.of(http)), null,
                        request.backupCheckOverride()))
                .map(row -> Response.accepted(new RotationViews.Created(row.id, row.state))
                        .location(uri.getBaseUriBuilder().path("api/rotations").path(row.id.toString()).build())
                        .build());
    }

    @GET
    @Path("{id}")
    @RolesAllowed(Roles.VIEWER)
    public Uni<RotationViews.Detail> get(@PathParam("id") String id) {
        UUID rotationId = parseId(id);
        return Panache.withSession(() -> RotationEntity.<RotationEntity>findById(rotationId).chain(row -> {
            if (row == null) {
                return Uni.createFrom().failure(ProblemException.notFound("no rotation with id " + rotationId));
            }
            return RotationStepEntity.<RotationStepEntity>list("rotationId = ?1 order by startedAt, idx", rotationId)
                    .chain(steps -> RotationProgressEntity.<RotationProgressEntity>findById(rotationId)
                            .chain(progress -> RotationEntity.<RotationEntity>list(
                                    "parentId = ?1 order by requestedAt, secretId", rotationId)
                                    .map(children -> RotationViews.detail(row, steps, progress, children))));
        }));
    }

    /**
     * Compensates a running rotation: 202 {@code {"id","state"}} (COMPENSATING, or ROLLED_BACK when it had not
     * started; it ends ROLLED_BACK). Repeating it while it compensates changes nothing. 409 once it is terminal, 404
     * for an unknown id.
     */
    @POST
    @Path("{id}/abort")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed(Roles.RESPONDER)
    public Uni<Response> abort(@PathParam("id") String id, @Context HttpServerRequest http) {
        UUID rotationId = parseId(id);
        return driver.abort(rotationId, Actor.rest(caller, ClientAddress.of(http)))
                .map(aborted -> Response.accepted(new RotationViews.Created(rotationId,
                        acted(rotationId, aborted).after().name())).build());
    }

    /**
     * Retires the previous version of a COMPLETED rotation now, whatever its grace or its share of use (catalog
     * {@code retire-when}): RETIRE_PREVIOUS is sent at once and previous-retired follows. Audited as
     * {@code retirement-forced}. 202 {@code {"id","state"}}; 409 {@code nothing-to-retire} when the rotation did not
     * complete, kept no previous version, was rolled back (that version is current again), or its retirement already
     * started; 404 for an unknown id.
     */
    @POST
    @Path("{id}/retire")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed(Roles.RESPONDER)
    public Uni<Response> retire(@PathParam("id") String id, @Context HttpServerRequest http) {
        UUID rotationId = parseId(id);
        return driver.forceRetire(rotationId, Actor.rest(caller, ClientAddress.of(http))).map(forced -> {
            if (forced == null) {
                throw ProblemException.notFound("no rotation with id " + rotationId);
            }
            if (!forced.started()) {
                throw new ProblemException(409, "nothing-to-retire", "Nothing to retire", forced.refusal());
            }
            return Response.accepted(new RotationViews.Created(rotationId, "COMPLETED")).build();
        });
    }

    /**
     * Rolls a COMPLETED rotation back while its previous version is kept (until its retirement starts): a rotation of
     * its own (trigger ROLLBACK, {@code parentId} the rotation it undoes) restores the rows from the shadow, makes the
     * old version current again and reloads the consumers. {@code {"reason": "..."}} is optional. 202
     * {@code {"id","state"}} of the rollback, with its Location. 409 {@code rollback-conflict} when the rotation is
     * not COMPLETED, is already rolled back, its previous version retired or is retiring, or the secret has an active
     * rotation; 422 {@code nothing-to-roll-back} for a rehearsal, a rollback, or a plan that kept no previous version;
     * 404 for an unknown id.
     */
    @POST
    @Path("{id}/rollback")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed(Roles.RESPONDER)
    public Uni<Response> rollback(@PathParam("id") String id, String body, UriInfo uri,
            @Context HttpServerRequest http) {
        UUID rotationId = parseId(id);
        String reason = parser.decisionReason(body);
        return rollbacks.rollback(rotationId, Actor.rest(caller, ClientAddress.of(http)), reason)
                .onFailure(Rollbacks.Refused.class).transform(f -> {
                    Rollbacks.Refused r = (Rollbacks.Refused) f;
                    return switch (r.kind()) {
                        case NOT_FOUND -> ProblemException.notFound(r.getMessage());
                        case CONFLICT -> new ProblemException(409, "rollback-conflict", "Cannot roll back",
                                r.getMessage());
                        case NOTHING_TO_ROLL_BACK -> new ProblemException(422, "nothing-to-roll-back",
                                "Nothing to roll back", r.getMessage());
                    };
                })
                .map(row -> Response.accepted(new RotationViews.Created(row.id, row.state))
                        .location(uri.getBaseUriBuilder().path("api/rotations").path(row.id.toString()).build())
                        .build());
    }

    /**
     * An abort that acted: 404 problem for an unknown rotation, 409 {@code rotation-ended} for one that had already
     * ended. The API and the dashboard both answer an abort through this.
     */
    public static SagaDriver.Aborted acted(UUID rotationId, SagaDriver.Aborted aborted) {
        if (aborted == null) {
            throw ProblemException.notFound("no rotation with id " + rotationId);
        }
        if (!aborted.before().active()) {
            throw new ProblemException(409, "rotation-ended", "Rotation already ended",
                    "rotation " + rotationId + " is already " + aborted.before());
        }
        return aborted;
    }

    /**
     * Approves a rotation that awaits approval; {@code {"reason": "..."}} is optional. 200 {@code {"id","state",
     * "approvals","required"}}: RUNNING once enough distinct people approved, else still AWAITING_APPROVAL. 403 for the
     * requester, or without one of the rotation's approving roles; 409 when it does not await approval or this person
     * already decided; 404 for an unknown id.
     */
    @POST
    @Path("{id}/approve")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed({Roles.APPROVER, Roles.RESPONDER})
    public Uni<Approvals.Outcome> approve(@PathParam("id") String id, String body,
            @Context HttpServerRequest http) {
        return decide(id, body, Approvals.Decision.APPROVED, Actor.rest(caller, ClientAddress.of(http)));
    }

    /** Denies a rotation that awaits approval: it ends DENIED with nothing touched. Same rules as approve. */
    @POST
    @Path("{id}/deny")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed({Roles.APPROVER, Roles.RESPONDER})
    public Uni<Approvals.Outcome> deny(@PathParam("id") String id, String body, @Context HttpServerRequest http) {
        return decide(id, body, Approvals.Decision.DENIED, Actor.rest(caller, ClientAddress.of(http)));
    }

    private Uni<Approvals.Outcome> decide(String id, String body, Approvals.Decision decision, Actor actor) {
        UUID rotationId = parseId(id);
        String reason = parser.decisionReason(body);
        return approvals.decide(rotationId, actor, decision, reason)
                .onFailure(Approvals.Refused.class).transform(f -> {
                    Approvals.Refused r = (Approvals.Refused) f;
                    return switch (r.kind()) {
                        case NOT_FOUND -> ProblemException.notFound(r.getMessage());
                        case FORBIDDEN -> new ProblemException(403, "approval-forbidden", "Approval refused",
                                r.getMessage());
                        case CONFLICT -> new ProblemException(409, "approval-conflict", "Not awaiting this decision",
                                r.getMessage());
                    };
                });
    }

    /**
     * The rotation report: JSON by default, Markdown when the {@code Accept} header prefers {@code text/markdown}.
     * 404 for an unknown id.
     */
    @GET
    @Path("{id}/report")
    @Produces({MediaType.APPLICATION_JSON, RotationResource.MARKDOWN})
    @RolesAllowed(Roles.VIEWER)
    public Uni<Response> report(@PathParam("id") String id, @HeaderParam("Accept") String accept) {
        UUID rotationId = parseId(id);
        boolean markdown = accept != null && accept.contains(MARKDOWN)
                && !accept.contains(MediaType.APPLICATION_JSON);
        return reports.report(rotationId).map(report -> {
            if (report == null) {
                throw ProblemException.notFound("no rotation with id " + rotationId);
            }
            return markdown ? Response.ok(RotationReports.markdown(report), MARKDOWN + "; charset=utf-8").build()
                    : Response.ok(report, MediaType.APPLICATION_JSON).build();
        });
    }

    /** Newest first; {@code limit} defaults to 50. */
    @GET
    @RolesAllowed(Roles.VIEWER)
    public Uni<List<RotationViews.Summary>> list(@QueryParam("limit") String limit) {
        int max = parseLimit(limit);
        return Panache.withSession(() -> RotationEntity.<RotationEntity>find("order by requestedAt desc")
                .page(0, max).list()
                .map(rows -> rows.stream().map(RotationViews::summary).toList()));
    }

    private static UUID parseId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("path parameter 'id' must be a UUID");
        }
    }

    private static int parseLimit(String limit) {
        if (limit == null || limit.isBlank()) {
            return 50;
        }
        try {
            int n = Integer.parseInt(limit.trim());
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to the problem below
        }
        throw ProblemException.badRequest("query parameter 'limit' must be a whole number from 1 to " + MAX_LIMIT);
    }
}

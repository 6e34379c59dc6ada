package dev.rotor.orchestrator.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.rotor.contracts.json.RotorJson;
import dev.rotor.orchestrator.chat.Replies.Reply;
import dev.rotor.orchestrator.chat.SlackSignature.Verdict;
import dev.rotor.orchestrator.rest.Problem;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * Slack's inbound HTTP: {@value #COMMANDS} (the {@code /rotor} slash command) and {@value #INTERACTIONS} (the Approve
 * and Abort buttons of milestone messages). Both are plain Vert.x routes, outside {@code /api} and its bearer tokens:
 * Slack cannot send a bearer token, it signs each request instead. So a request is first checked against the
 * signing secret ({@link SlackSignature}); anything unsigned, wrongly signed, outside the 5-minute window or already
 * seen ({@link SlackReplays}) gets 401 problem+json and does nothing. A signed request is acknowledged at once with
 * an empty 200 (Slack allows 3 seconds); the command then runs as the Slack user and its answer goes to the
 * request's {@code response_url}.
 */
@ApplicationScoped
public class SlackRoutes {
    private static final Logger LOG = Logger.getLogger(SlackRoutes.class);
    public static final String COMMANDS = "/slack/commands";
    public static final String INTERACTIONS = "/slack/interactions";
    static final int MAX_BODY = 128 * 1024;

    @Inject
    SlackConfig config;
    @Inject
    ChatCommands commands;
    @Inject
    SlackReplays replays;

    // Claims are quick database inserts that Slack's 3-second acknowledgement waits for; answers may wait on Slack
    // (two attempts of at most 5 s), so they run apart and never hold up an acknowledgement.
    private final ExecutorService claims = Executors.newFixedThreadPool(2, r -> daemon(r, "rotor-slack-claim"));
    private final ExecutorService answers = Executors.newFixedThreadPool(4, r -> daemon(r, "rotor-slack-answer"));
    private SlackSignature signature;
    private SlackUsers users;
    private ResponseUrl responses;

    void init(@Observes Router router) {
        signature = new SlackSignature(config.signingSecret().orElse(null), config.maxAge());
        users = SlackUsers.parse(config.users().orElse(List.of()));
        responses = new ResponseUrl(config.responseUrlPrefixes());
        if (config.signingSecret().isEmpty()) {
            LOG.info("slack: ROTOR_SLACK_SIGNING_SECRET is not set; chat-ops is off (" + COMMANDS + " and "
                    + INTERACTIONS + " answer 401)");
        }
        BodyHandler body = BodyHandler.create(false).setBodyLimit(MAX_BODY);
        router.post(COMMANDS).handler(body).handler(ctx -> handle(ctx, false));
        router.post(INTERACTIONS).handler(body).handler(ctx -> handle(ctx, true));
    }

    private void handle(RoutingContext ctx, boolean button) {
        String path = ctx.request().path();
        byte[] raw = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
        String timestamp = ctx.request().getHeader("X-Slack-Request-Timestamp");
        String signed = ctx.request().getHeader("X-Slack-Signature");
        Verdict verdict = signature.verify(timestamp, signed, raw, Instant.now());
        if (verdict != Verdict.VALID) {
            LOG.infof("slack: refused a request to %s: %s", path, verdict.why());
            problem(ctx, 401, "slack-signature", "Slack signature refused", verdict.why());
            return;
        }
        SlackRequest request;
        try {
            request = button ? SlackRequest.interaction(raw) : SlackRequest.slashCommand(raw);
        } catch (SlackRequest.Malformed e) {
            problem(ctx, 400, "slack-request", "Malformed Slack request", e.getMessage());
            return;
        }
        if (!responses.allowed(request.responseUrl())) {
            problem(ctx, 400, "slack-request", "Malformed Slack request",
                    "response_url is not one of rotor.slack.response-url-prefixes");
            return;
        }
        Context vertx = Vertx.currentContext();
        String peer = ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress();
        claims.execute(() -> {
            boolean fresh;
            try {
                fresh = VertxContextSupport.subscribeAndAwait(() -> replays.claim(timestamp, signed));
            } catch (Throwable t) {
                LOG.warnf("slack: could not record a request to %s: %s", path, t.getClass().getSimpleName());
                vertx.runOnContext(v -> problem(ctx, 503, "unavailable", "Try again", "Rotor's database is not"
                        + " reachable"));
                return;
            }
            if (!fresh) {
                LOG.infof("slack: refused a replayed request to %s", path);
                vertx.runOnContext(v -> problem(ctx, 401, "slack-replay", "Slack request replayed",
                        "this request was already received"));
                return;
            }
            vertx.runOnContext(v -> ctx.response().setStatusCode(200).end());
            SlackCaller caller = new SlackCaller(request.userId(), users.rolesOf(request.userId()), peer);
            answers.execute(() -> answer(caller, request));
        });
    }

    /** Runs the command and posts its answer; on a worker thread. */
    private void answer(SlackCaller caller, SlackRequest request) {
        String what = request.command() == null ? "/rotor" : "/rotor " + request.command().kind().word();
        Reply reply;
        if (request.command() == null) {
            reply = Reply.ephemeral(request.unreadable());
        } else {
            try {
                reply = VertxContextSupport.subscribeAndAwait(() -> Uni.createFrom()
                        .deferred(() -> commands.run(caller, request.command()))
                        .onFailure(ChatCommand.Unreadable.class).recoverWithItem(f -> Reply.ephemeral(
                                f.getMessage())));
            } catch (Throwable t) {
                LOG.errorf("slack: %s by %s failed: %s", what, caller.subject(), t.getClass().getSimpleName());
                reply = Reply.ephemeral("Rotor could not finish that: an internal error (the orchestrator's log"
                        + " names it). Check with `/rotor status` whether it happened.");
            }
        }
        responses.post(request.responseUrl(), request.button() ? reply.forButton() : reply, what);
    }

    private static void problem(RoutingContext ctx, int status, String slug, String title, String detail) {
        if (ctx.response().ended()) {
            return;
        }
        String body;
        try {
            body = RotorJson.mapper().writeValueAsString(Problem.of(status, slug, title, detail, ctx.request().path()));
        } catch (JsonProcessingException e) {
            body = "{\"status\":" + status + "}";
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", Problem.MEDIA_TYPE).end(body);
    }

    void onStop(@Observes ShutdownEvent event) {
        claims.shutdownNow();
        answers.shutdownNow();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}

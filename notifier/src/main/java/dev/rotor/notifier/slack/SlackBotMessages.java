package dev.rotor.notifier.slack;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotor.contracts.json.RotorJson;
import dev.rotor.notifier.channel.HttpMessages;
import dev.rotor.notifier.channel.Notification;
import dev.rotor.notifier.delivery.DeliveredEvents.RotationMemory;
import dev.rotor.notifier.delivery.HttpDelivery.ResponseCheck;
import dev.rotor.notifier.delivery.RetryPolicy;
import dev.rotor.notifier.delivery.RetryPolicy.Verdict;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Slack with a bot token: one message per rotation. Its first milestone is posted ({@code chat.postMessage}); the
 * answer's channel id and {@code ts} are remembered durably, and every later milestone rewrites that message in place
 * ({@code chat.update}), so the channel shows one line per rotation with its latest state. If the first post was
 * given up on, the next milestone posts instead.
 *
 * <p>Slack answers HTTP 200 with {@code "ok": false} on errors: {@code ratelimited} and Slack's own failures are
 * retried, any other error (e.g. {@code channel_not_found}, {@code invalid_auth}) is logged by its code and given up.
 * The token travels only in the {@code Authorization} header, never in a log line.
 */
public final class SlackBotMessages implements HttpMessages {
    private static final Logger LOG = Logger.getLogger(SlackBotMessages.class);
    private static final ObjectMapper JSON = RotorJson.mapper();
    private static final String CONTENT_TYPE = "application/json; charset=utf-8";
    private static final Set<String> TRANSIENT = Set.of("ratelimited", "internal_error", "fatal_error",
            "service_unavailable", "request_timeout");

    private final String channelName;
    private final URI postMessage;
    private final URI update;
    private final Map<String, String> auth;
    private final String conversation;
    private final RotationMemory memory;

    /** The body of {@code chat.postMessage} (no ts) and {@code chat.update}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Body(String channel, String ts, String text, List<SlackMessage.Block> blocks) {
    }

    public SlackBotMessages(String channelName, URI apiUrl, String token, String conversation,
            RotationMemory memory) {
        String base = apiUrl.toString().endsWith("/") ? apiUrl.toString() : apiUrl + "/";
        this.channelName = channelName;
        this.postMessage = URI.create(base + "chat.postMessage");
        this.update = URI.create(base + "chat.update");
        this.auth = Map.of("Authorization", "Bearer " + token);
        this.conversation = conversation;
        this.memory = memory;
    }

    @Override
    public Optional<Request> render(Notification n) {
        SlackMessage message = SlackMessage.of(n);
        Optional<String[]> posted = memory.get(n.event().rotationId()).map(v -> v.split(" ", 2));
        Body body = posted.map(p -> new Body(p[0], p[1], message.text(), message.blocks()))
                .orElseGet(() -> new Body(conversation, null, message.text(), message.blocks()));
        return Optional.of(new Request(posted.isPresent() ? update : postMessage, CONTENT_TYPE, auth, json(body),
                check()));
    }

    @Override
    public void delivered(Notification n, byte[] response) {
        if (memory.get(n.event().rotationId()).isPresent()) {
            return;
        }
        JsonNode answer = read(response);
        String channel = answer.path("channel").asText("");
        String ts = answer.path("ts").asText("");
        if (channel.isEmpty() || ts.isEmpty() || channel.contains(" ")) {
            LOG.warnf("channel '%s': Slack's answer to chat.postMessage has no channel and ts; the next milestone "
                    + "of rotation %s is posted anew", channelName, n.event().rotationId());
            return;
        }
        memory.put(n.event().rotationId(), channel + " " + ts);
    }

    private ResponseCheck check() {
        return (status, body) -> {
            if (status < 200 || status >= 300) {
                return RetryPolicy.classify(status);
            }
            JsonNode answer = read(body);
            if (answer.path("ok").asBoolean(false)) {
                return Verdict.DELIVERED;
            }
            String error = answer.path("error").asText("no error code");
            if (TRANSIENT.contains(error)) {
                return Verdict.RETRY;
            }
            // Slack's error codes are fixed words (channel_not_found, invalid_auth): safe to log.
            LOG.warnf("channel '%s': Slack refused the message: %s", channelName, error.replaceAll("[^a-z_]", "?"));
            return Verdict.GIVE_UP;
        };
    }

    private static JsonNode read(byte[] body) {
        try {
            JsonNode node = JSON.readTree(body);
            return node == null ? JSON.createObjectNode() : node;
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static byte[] json(Body body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Never the token. */
    @Override
    public String toString() {
        return "SlackBotMessages[" + channelName + "]";
    }
}

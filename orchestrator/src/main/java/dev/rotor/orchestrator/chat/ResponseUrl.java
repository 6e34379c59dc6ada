package dev.rotor.orchestrator.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.rotor.contracts.json.RotorJson;
import dev.rotor.orchestrator.chat.Replies.Reply;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Posts an answer to a request's {@code response_url} (JSON), once more after a second if Slack could not be reached
 * or answered 5xx. The URL is a capability for the user's conversation, so it is never logged; only the status is.
 */
public final class ResponseUrl {
    private static final Logger LOG = Logger.getLogger(ResponseUrl.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final List<String> allowedPrefixes;

    public ResponseUrl(List<String> allowedPrefixes) {
        this.allowedPrefixes = List.copyOf(allowedPrefixes);
    }

    /** True when the URL starts with one of {@code rotor.slack.response-url-prefixes}. */
    public boolean allowed(String url) {
        return url != null && allowedPrefixes.stream().anyMatch(url::startsWith);
    }

    /** Posts {@code reply}; on a worker thread (it blocks for at most two attempts). */
    public void post(String url, Reply reply, String what) {
        byte[] body;
        try {
            body = RotorJson.mapper().writeValueAsBytes(reply);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unwritable reply", e);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        for (int attempt = 1; attempt <= 2; attempt++) {
            try {
                int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status < 500) {
                    if (status >= 300) {
                        LOG.warnf("slack: the answer to %s was refused by Slack: HTTP %d", what, status);
                    }
                    return;
                }
                LOG.warnf("slack: the answer to %s got HTTP %d (attempt %d)", what, status, attempt);
            } catch (IOException e) {
                LOG.warnf("slack: the answer to %s could not be sent (attempt %d): %s", what, attempt,
                        e.getClass().getSimpleName());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            sleep();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

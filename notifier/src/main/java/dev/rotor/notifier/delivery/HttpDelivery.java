package dev.rotor.notifier.delivery;

import java.net.URI;
import java.util.Map;

/**
 * One message for one HTTP channel.
 *
 * @param channel the catalog's channel name: the only way a log line names the destination, since URLs such as Slack
 *     webhooks are secrets
 * @param headers extra request headers (a bot token's {@code Authorization}); never logged
 * @param label what is delivered, for log lines, e.g. {@code secret-updated of rotation 1b2c…}
 * @param check how a response is judged; by default its status ({@link RetryPolicy#classify})
 */
public record HttpDelivery(String channel, URI url, String contentType, Map<String, String> headers, byte[] body,
        String label, ResponseCheck check) {

    public HttpDelivery {
        headers = Map.copyOf(headers);
    }

    public HttpDelivery(String channel, URI url, String contentType, byte[] body, String label) {
        this(channel, url, contentType, Map.of(), body, label, ResponseCheck.BY_STATUS);
    }

    /** Judges a response, for APIs (Slack's) that answer 200 with {@code "ok": false}. */
    @FunctionalInterface
    public interface ResponseCheck {
        ResponseCheck BY_STATUS = (status, body) -> RetryPolicy.classify(status);

        RetryPolicy.Verdict verdict(int status, byte[] body);
    }

    /** The outcome of a delivery; {@code body} is the last response's body, empty when none came. */
    public record Reply(boolean delivered, byte[] body) {
    }

    @Override
    public String toString() {
        return "HttpDelivery[" + channel + ", " + label + "]";
    }
}

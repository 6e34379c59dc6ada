package dev.rotor.notifier.delivery;

import java.net.URI;

/**
 * One message for one HTTP channel.
 *
 * @param channel the catalog's channel name: the only way a log line names the destination, since URLs such as Slack
 *     webhooks are secrets
 * @param label what is delivered, for log lines, e.g. {@code secret-updated of rotation 1b2c…}
 */
public record HttpDelivery(String channel, URI url, String contentType, byte[] body, String label) {
    @Override
    public String toString() {
        return "HttpDelivery[" + channel + ", " + label + "]";
    }
}

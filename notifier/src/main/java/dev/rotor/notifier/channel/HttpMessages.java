package dev.rotor.notifier.channel;

import dev.rotor.notifier.delivery.HttpDelivery.ResponseCheck;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/** What an HTTP channel sends for each milestone, and what it keeps of the answers. */
@FunctionalInterface
public interface HttpMessages {

    /**
     * The request for this milestone, or empty when the channel has nothing to say about it. Called in the channel's
     * order, once the previous delivery has finished.
     */
    Optional<Request> render(Notification n);

    /** After a delivered request, with the response body. */
    default void delivered(Notification n, byte[] response) {
    }

    /** A POST; {@code headers} may hold a credential and are never logged. */
    record Request(URI url, String contentType, Map<String, String> headers, byte[] body, ResponseCheck check) {
        public static Request post(URI url, String contentType, byte[] body) {
            return new Request(url, contentType, Map.of(), body, ResponseCheck.BY_STATUS);
        }

        @Override
        public String toString() {
            return "Request[" + contentType + "]";
        }
    }
}

package dev.rotor.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.notifier.config.NotifierConfig;
import dev.rotor.notifier.consume.Receiver;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Retry behaviour against a real local HTTP server, with 10 ms backoff. */
class HttpSenderTest {
    private final HttpSender sender = new HttpSender(config());

    @Test
    void clientErrorIsNotRetried() throws Exception {
        try (Receiver receiver = new Receiver()) {
            receiver.answer("/hook", 400);
            assertThat(sender.send(delivery(receiver.url("/hook"))).get()).isFalse();
            assertThat(receiver.requests()).extracting(Receiver.Request::status).containsExactly(400);
        }
    }

    @Test
    void tooManyRequestsIsRetriedUntilDelivered() throws Exception {
        try (Receiver receiver = new Receiver()) {
            receiver.answer("/hook", 429, 500);
            assertThat(sender.send(delivery(receiver.url("/hook"))).get()).isTrue();
            assertThat(receiver.requests()).extracting(Receiver.Request::status).containsExactly(429, 500, 200);
        }
    }

    @Test
    void givesUpAfterTheLastAttempt() throws Exception {
        try (Receiver receiver = new Receiver()) {
            receiver.answer("/hook", 503, 503, 503, 503);
            assertThat(sender.send(delivery(receiver.url("/hook"))).get()).isFalse();
            assertThat(receiver.requests()).hasSize(3);
        }
    }

    @Test
    void connectionRefusedIsRetriedThenGivenUp() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        assertThat(sender.send(delivery("http://127.0.0.1:" + port + "/hook")).get()).isFalse();
    }

    private static HttpDelivery delivery(String url) {
        return new HttpDelivery("test-hook", URI.create(url), "application/json",
                "{}".getBytes(StandardCharsets.UTF_8), "secret-updated of rotation r1");
    }

    private static NotifierConfig config() {
        return TestConfig.notifier(3);
    }
}

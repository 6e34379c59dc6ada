package dev.rotor.notifier.consume;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.rotor.contracts.messages.RotationCompleted;
import dev.rotor.contracts.messages.RotationEvent;
import dev.rotor.contracts.messages.RotationRequested;
import dev.rotor.contracts.messages.SecretStaged;
import dev.rotor.contracts.messages.Trigger;
import dev.rotor.notifier.channel.HttpChannel;
import dev.rotor.notifier.channel.Notification;
import dev.rotor.notifier.channel.NotificationChannel;
import dev.rotor.notifier.delivery.DeliveredEvents;
import dev.rotor.notifier.delivery.HttpSender;
import dev.rotor.notifier.delivery.NotifierDatabase;
import dev.rotor.notifier.delivery.TestConfig;
import dev.rotor.notifier.event.Links;
import dev.rotor.notifier.pagerduty.PagerDutyMessages;
import dev.rotor.notifier.slack.SlackBotMessages;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A notifier stops and a new one starts over the same database: the records Kafka delivers again reach no channel a
 * second time, Slack's later milestone still updates the message posted before the restart, and PagerDuty still
 * resolves the alert triggered before it. Real HTTP to WireMock, the real delivery store on PostgreSQL.
 */
class RestartTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final UUID ROTATION = UUID.fromString("0b7e6a52-8d6f-4c57-9a1e-3f4c2d1b0a99");
    private static final Instant AT = Instant.parse("2026-01-08T02:00:00Z");
    private static final String KEY = "pd-routing-key-restart";
    private static final String TOKEN = "xoxb-restart-token";

    private WireMockServer wiremock;
    private DataSource db;

    @BeforeEach
    void start() {
        db = NotifierDatabase.fresh("restart");
        wiremock = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        wiremock.start();
        wiremock.stubFor(post(urlEqualTo("/v2/enqueue")).willReturn(aResponse().withStatus(202)));
        wiremock.stubFor(post(urlEqualTo("/api/chat.postMessage")).willReturn(okJson(
                "{\"ok\":true,\"channel\":\"C0ROTOR\",\"ts\":\"1700000000.000100\"}")));
        wiremock.stubFor(post(urlEqualTo("/api/chat.update")).willReturn(okJson("{\"ok\":true}")));
    }

    @AfterEach
    void stop() {
        wiremock.stop();
    }

    @Test
    void aNewInstanceOverTheSameStoreSendsNothingTwiceAndCarriesOn() throws Exception {
        Notification requested = notification("e1", new RotationRequested(ROTATION, "jwt-secret", Trigger.EMERGENCY,
                "leaked", "immediate", "pagerduty:PXYZ", AT));
        Notification staged = notification("e2", new SecretStaged(ROTATION, "jwt-secret", Trigger.EMERGENCY,
                "leaked", "local", 2, AT));
        Notification completed = notification("e3", new RotationCompleted(ROTATION, "jwt-secret", Trigger.EMERGENCY,
                "leaked", 1, 2, AT));

        try (Instance first = new Instance()) {
            assertThat(first.dispatch(requested)).containsOnlyKeys("oncall", "team-chat").containsValues(true);
            assertThat(first.dispatch(staged)).containsOnlyKeys("oncall", "team-chat").containsValues(true);
        }
        try (Instance second = new Instance()) {
            // Kafka delivers both again (their offsets were not committed before the stop): nothing is sent.
            assertThat(second.dispatch(requested)).isEmpty();
            assertThat(second.dispatch(staged)).isEmpty();
            assertThat(second.dispatch(completed)).containsOnlyKeys("oncall", "team-chat").containsValues(true);
        }

        // Each channel's requests in order (the two channels run side by side).
        List<LoggedRequest> pd = requests().stream().filter(r -> r.getUrl().equals("/v2/enqueue")).toList();
        List<LoggedRequest> slack = requests().stream().filter(r -> r.getUrl().startsWith("/api/")).toList();
        assertThat(requests()).hasSize(5);
        assertThat(pd).hasSize(2);
        assertThat(slack).extracting(LoggedRequest::getUrl).containsExactly("/api/chat.postMessage",
                "/api/chat.update", "/api/chat.update");
        assertThat(json(pd.get(0)).get("event_action").asText()).isEqualTo("trigger");
        assertThat(json(pd.get(0)).get("dedup_key").asText()).isEqualTo(ROTATION.toString());
        assertThat(json(pd.get(1))).isEqualTo(JSON.readTree("{\"routing_key\": \"" + KEY + "\", "
                + "\"event_action\": \"resolve\", \"dedup_key\": \"" + ROTATION + "\"}"));
        assertThat(json(slack.get(0)).get("channel").asText()).isEqualTo("C0ROTOR");
        assertThat(json(slack.get(0)).has("ts")).isFalse();
        // After the restart, the update still names the message posted before it.
        assertThat(json(slack.get(2)).get("ts").asText()).isEqualTo("1700000000.000100");
        assertThat(json(slack.get(2)).get("channel").asText()).isEqualTo("C0ROTOR");
        assertThat(json(slack.get(2)).get("text").asText())
                .isEqualTo("URGENT: Rotation completed for jwt-secret (EMERGENCY): leaked");
        assertThat(DeliveryRows.dump(db)).contains("oncall", "team-chat", "e1", "e2", "e3").doesNotContain(KEY, TOKEN);
    }

    /** One notifier process: its delivery store (on the shared database), sender and channels. */
    private final class Instance implements AutoCloseable {
        private final DeliveredEvents delivered = new DeliveredEvents(db, UUID.randomUUID().toString(),
                Duration.ofMinutes(1), Duration.ofDays(30));
        private final HttpSender sender = new HttpSender(TestConfig.notifier(3));
        private final List<NotificationChannel> channels = List.of(
                new HttpChannel("oncall", new PagerDutyMessages(URI.create(wiremock.baseUrl() + "/v2/enqueue"), KEY,
                        new Links("https://rotor.example"), delivered.memory("oncall")), sender, 10),
                new HttpChannel("team-chat", new SlackBotMessages("team-chat", URI.create(wiremock.baseUrl() + "/api"),
                        TOKEN, "C0ROTOR", delivered.memory("team-chat")), sender, 10));
        private final Dispatcher dispatcher = new Dispatcher(delivered);

        Map<String, Boolean> dispatch(Notification n) {
            Map<String, CompletableFuture<Boolean>> outcomes = dispatcher.dispatch(n, channels);
            Map<String, Boolean> done = new java.util.LinkedHashMap<>();
            outcomes.forEach((channel, outcome) -> done.put(channel, outcome.join()));
            return done;
        }

        @Override
        public void close() {
            // A stopped process: nothing of it but its rows.
        }
    }

    private List<LoggedRequest> requests() {
        List<ServeEvent> events = new ArrayList<>(wiremock.getAllServeEvents());
        Collections.reverse(events);
        return events.stream().map(ServeEvent::getRequest).toList();
    }

    private static Notification notification(String id, RotationEvent event) {
        return new Notification(event, id, "/rotor/orchestrator", "2026-01-08T02:00:00Z");
    }

    private static JsonNode json(LoggedRequest request) throws Exception {
        return JSON.readTree(request.getBodyAsString());
    }
}

package dev.rotor.notifier.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotor.contracts.messages.MessageCodec;
import dev.rotor.contracts.messages.RotationCompleted;
import dev.rotor.contracts.messages.RotationFailed;
import dev.rotor.contracts.messages.Trigger;
import dev.rotor.notifier.channel.Notification;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CloudEventBodyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final UUID ROTATION = UUID.fromString("0b7e6a52-8d6f-4c57-9a1e-3f4c2d1b0a99");
    private static final Instant AT = Instant.parse("2026-01-08T02:00:00Z");

    @Test
    void structuredModeKeepsTheRecordsIdentityAndCarriesTheEventAsData() throws Exception {
        var event = new RotationCompleted(ROTATION, "jwt-secret", Trigger.SCHEDULED, null, 1, 2, AT);
        byte[] body = CloudEventBody.of(new Notification(event, "5f0c1c1e-1111-4a4a-8888-000000000001",
                "/rotor/orchestrator", "2026-01-08T02:00:01Z")).toJson();

        assertThat(JSON.readTree(body)).isEqualTo(JSON.readTree("""
                {"specversion": "1.0",
                 "id": "5f0c1c1e-1111-4a4a-8888-000000000001",
                 "source": "/rotor/orchestrator",
                 "type": "dev.rotor.rotation-completed.v1",
                 "subject": "0b7e6a52-8d6f-4c57-9a1e-3f4c2d1b0a99",
                 "time": "2026-01-08T02:00:01Z",
                 "datacontenttype": "application/json",
                 "data": {"rotationId": "0b7e6a52-8d6f-4c57-9a1e-3f4c2d1b0a99", "secretId": "jwt-secret",
                          "trigger": "SCHEDULED", "fromVersion": 1, "toVersion": 2,
                          "occurredAt": "2026-01-08T02:00:00Z"}}
                """));
        // data is byte for byte the Kafka payload's JSON
        assertThat(JSON.readTree(body).get("data")).isEqualTo(JSON.readTree(MessageCodec.encode(event)));
    }

    @Test
    void urgentEventCarriesTheRotorurgentExtension() throws Exception {
        var event = new RotationFailed(ROTATION, "jwt-secret", Trigger.MANUAL, null, "compensation failed",
                List.of("restore JWT_SECRET_CURRENT by hand"), AT);
        byte[] body = CloudEventBody.of(new Notification(event, "id", "/rotor/orchestrator",
                "2026-01-08T02:00:01Z")).toJson();

        assertThat(JSON.readTree(body).get("rotorurgent").asBoolean()).isTrue();
        assertThat(JSON.readTree(body).get("type").asText()).isEqualTo("dev.rotor.rotation-failed.v1");
    }
}

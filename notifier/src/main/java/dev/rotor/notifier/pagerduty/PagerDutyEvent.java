package dev.rotor.notifier.pagerduty;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotor.contracts.json.RotorJson;
import dev.rotor.contracts.messages.RotationEvent;
import dev.rotor.contracts.messages.RotationFailed;
import dev.rotor.contracts.messages.Trigger;
import dev.rotor.notifier.channel.Notification;
import dev.rotor.notifier.event.EventSummary;
import dev.rotor.notifier.event.Links;
import dev.rotor.notifier.event.Texts;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A PagerDuty Events API v2 event. The {@code dedup_key} is the rotation id, so every trigger of a rotation folds into
 * one alert and the resolve closes it. Severity follows urgency (only urgent milestones trigger): {@code critical}
 * for a failed rotation (a person must finish by hand) and for anything of an EMERGENCY rotation (a secret may be out,
 * and may still be in use); {@code error} for the compensation and rollback of a planned rotation.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PagerDutyEvent(@JsonProperty("routing_key") String routingKey,
        @JsonProperty("event_action") String eventAction, @JsonProperty("dedup_key") String dedupKey,
        Payload payload, String client, @JsonProperty("client_url") String clientUrl, List<Link> links) {
    private static final ObjectMapper JSON = RotorJson.mapper();
    /** PagerDuty's limit on a summary. */
    static final int SUMMARY_MAX = 1024;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Payload(String summary, String source, String severity, String timestamp, String component,
            String group, @JsonProperty("class") String eventClass,
            @JsonProperty("custom_details") Map<String, Object> customDetails) {
    }

    public record Link(String href, String text) {
    }

    public static PagerDutyEvent trigger(String routingKey, Notification n, Links links) {
        RotationEvent e = n.event();
        EventSummary s = EventSummary.of(e);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("rotation", e.rotationId().toString());
        details.put("secret", e.secretId());
        details.put("trigger", e.trigger().name());
        details.put("milestone", n.milestone());
        putIfSet(details, "reason", e.reason());
        putIfSet(details, "versions", s.versions());
        putIfSet(details, "failed_step", s.failedStep());
        putIfSet(details, "detail", s.detail());
        Payload payload = new Payload(Texts.within(Texts.headline(e, s), SUMMARY_MAX), "rotor", severity(e), n.time(),
                e.secretId(), "secret-rotation", n.milestone(), details);
        return new PagerDutyEvent(routingKey, "trigger", e.rotationId().toString(), payload, "Rotor",
                links.rotation(e.rotationId()), List.of(new Link(links.rotation(e.rotationId()), "Rotation"),
                        new Link(links.report(e.rotationId()), "Rotation report")));
    }

    public static PagerDutyEvent resolve(String routingKey, Notification n) {
        return new PagerDutyEvent(routingKey, "resolve", n.event().rotationId().toString(), null, null, null, null);
    }

    static String severity(RotationEvent e) {
        return e instanceof RotationFailed || e.trigger() == Trigger.EMERGENCY ? "critical" : "error";
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (JsonProcessingException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Never the routing key. */
    @Override
    public String toString() {
        return "PagerDutyEvent[" + eventAction + ", dedup_key=" + dedupKey + "]";
    }

    private static void putIfSet(Map<String, Object> details, String key, String value) {
        if (value != null) {
            details.put(key, value);
        }
    }
}

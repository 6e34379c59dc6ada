package dev.rotor.orchestrator.incident;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.rotor.contracts.catalog.IncidentRule;
import dev.rotor.orchestrator.rest.ProblemException;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Reads the three webhook bodies into an {@link Incident}, or says why a delivery starts nothing (another event type).
 * Only the fields below are read: everything else, GitHub's leaked value among it, is skipped unread. A body that is
 * not the expected JSON is refused with a problem naming the field, never echoing the body.
 */
public final class IncidentPayloads {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private IncidentPayloads() {
    }

    /** An incident to act on, or the reason a valid delivery is ignored. */
    public record Parsed(Incident incident, String ignored) {
        static Parsed ignore(String why) {
            return new Parsed(null, why);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record PagerDutyBody(PdEvent event) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record PdEvent(String id, @JsonProperty("event_type") String eventType,
            @JsonProperty("occurred_at") String occurredAt, PdIncident data) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record PdIncident(String id, String title, PdRef service, @JsonProperty("created_at") String createdAt) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record PdRef(String id, String summary) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record GitHubBody(String action, GhAlert alert, GhRepository repository) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record GhAlert(Long number, @JsonProperty("secret_type") String secretType,
            @JsonProperty("secret_type_display_name") String displayName,
            @JsonProperty("created_at") String createdAt) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record GhRepository(@JsonProperty("full_name") String fullName) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record GenericBody(String id, String title, String service, String secretType, String repository,
            String occurredAt) {
    }

    /** PagerDuty V3: {@code incident.triggered} becomes an incident; every other event type is ignored. */
    public static Parsed pagerDuty(byte[] body) {
        PagerDutyBody b = read(body, PagerDutyBody.class);
        PdEvent e = require(b.event(), "event");
        String type = require(e.eventType(), "event.event_type");
        if (!"incident.triggered".equals(type)) {
            return Parsed.ignore("event type " + type + " starts no rotation");
        }
        PdIncident i = require(e.data(), "event.data");
        String id = require(i.id(), "event.data.id");
        List<String> services = i.service() == null ? List.of()
                : java.util.Arrays.asList(i.service().id(), i.service().summary());
        String began = i.createdAt() != null ? i.createdAt() : e.occurredAt();
        return new Parsed(new Incident(IncidentRule.PAGERDUTY, id, i.title(), services, null, null,
                instant(began, i.createdAt() != null ? "event.data.created_at" : "event.occurred_at")), null);
    }

    /**
     * GitHub {@code secret_scanning_alert} with action {@code created}; other actions and events ({@code ping}) are
     * ignored. The incident id is {@code <repository>#<alert number>}, the same for every delivery of one alert.
     */
    public static Parsed gitHub(String event, byte[] body) {
        if (!"secret_scanning_alert".equals(event)) {
            return Parsed.ignore("GitHub event " + event + " starts no rotation");
        }
        GitHubBody b = read(body, GitHubBody.class);
        String action = require(b.action(), "action");
        if (!"created".equals(action)) {
            return Parsed.ignore("secret_scanning_alert action " + action + " starts no rotation");
        }
        GhAlert alert = require(b.alert(), "alert");
        Long number = require(alert.number(), "alert.number");
        String secretType = require(alert.secretType(), "alert.secret_type");
        String repository = require(require(b.repository(), "repository").fullName(), "repository.full_name");
        String title = (alert.displayName() == null ? secretType : alert.displayName()) + " leaked in " + repository;
        return new Parsed(new Incident(IncidentRule.GITHUB, repository + "#" + number, title, List.of(), secretType,
                repository, instant(alert.createdAt(), "alert.created_at")), null);
    }

    /** The generic webhook: {@code {"id", "title", "service", "secretType", "repository", "occurredAt"}}. */
    public static Parsed generic(byte[] body) {
        GenericBody b = read(body, GenericBody.class);
        String id = require(b.id(), "id");
        if (id.isBlank() || id.length() > 200) {
            throw ProblemException.badRequest("field 'id' must be 1 to 200 characters");
        }
        return new Parsed(new Incident(IncidentRule.WEBHOOK, id, b.title(),
                b.service() == null ? List.of() : List.of(b.service()), b.secretType(), b.repository(),
                instant(b.occurredAt(), "occurredAt")), null);
    }

    private static <T> T read(byte[] body, Class<T> type) {
        if (body == null || body.length == 0) {
            throw malformed("the body is empty; a JSON object is expected");
        }
        try {
            T value = JSON.readValue(body, type);
            if (value == null) {
                throw malformed("the body must be a JSON object");
            }
            return value;
        } catch (JsonProcessingException e) {
            // The parser's location only: its message can quote the body.
            String at = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")";
            throw malformed("the body is not the expected JSON" + at);
        } catch (IOException e) {
            throw malformed("the body could not be read");
        }
    }

    private static <T> T require(T value, String field) {
        if (value == null) {
            throw malformed("field '" + field + "' is required");
        }
        return value;
    }

    private static Instant instant(String value, String field) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw malformed("field '" + field + "' must be an ISO-8601 instant such as 2026-12-02T11:00:00Z");
        }
    }

    private static ProblemException malformed(String detail) {
        return new ProblemException(400, "malformed-incident", "Malformed incident", detail);
    }
}
